import type { RestApp, RestContext } from "../shared";

/** `GET /api/executions/{id}/stream` and `/api/v1/executions/{id}/stream` (SSE, issue 4). */
export function registerStreamRoutes(_app: RestApp, _context: RestContext): void {}
