import { createTRPCRouter } from "../init";

/** `executions` procedures (issue 4). */
export const executionsRouter = createTRPCRouter({});
