import { createTRPCRouter } from "../init";

/** `flows` procedures (issue 4). */
export const flowsRouter = createTRPCRouter({});
