import type { RestApp, RestContext } from "../shared";

/** `/api/v1/flows...` (issue 4). */
export function registerFlowRoutes(_app: RestApp, _context: RestContext): void {}
