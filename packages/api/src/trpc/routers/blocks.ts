import { createTRPCRouter } from "../init";

/** `blocks` procedures (issue 4). */
export const blocksRouter = createTRPCRouter({});
