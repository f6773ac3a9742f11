import type { RestApp, RestContext } from "../shared";

/** `/api/v1/blocks...` (issue 4). */
export function registerBlockRoutes(_app: RestApp, _context: RestContext): void {}
