/**
 * Next calls register() once when a server starts (`next start` / `next dev`), before any request.
 * The Node-only work lives in instrumentation-node.ts; this guard (inlined by Next at build time)
 * keeps it out of the Edge bundle.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { registerNode } = await import("./instrumentation-node");
    await registerNode();
  }
}
