import type { RestApp, RestContext } from "../shared";

/** `/api/v1/executions...` and `/api/v1/flows/{id}/execute` (issue 4). */
export function registerExecutionRoutes(_app: RestApp, _context: RestContext): void {}
