import { createTRPCRouter, publicProcedure } from "../init";

export const authRouter = createTRPCRouter({
  /** The signed-in user, or null. Sign-up/in/out are REST routes because they set cookies. */
  me: publicProcedure.query(({ ctx }) => ctx.identity?.user ?? null),
});
