import { createSandbox, isSandboxError, type Sandbox } from "@weft/engine";
import { AppError } from "../../lib/errors";

let sandbox: Promise<Sandbox> | undefined;
/** The process-wide QuickJS sandbox (worker threads): pattern expressions never run on the host. */
const getSandbox = () => (sandbox ??= createSandbox({ timeoutMs: 2_000 }));

/** How many inputs go to the sandbox in one call. */
const CHUNK = 250;

/**
 * Evaluates a pattern's `when` over many decision inputs in the sandbox, a chunk per call: true,
 * false, or null when the expression threw for that input. A syntax error or a timeout is a 400 naming
 * the `when` field.
 */
export async function evaluateWhen(when: string, inputs: unknown[], signal?: AbortSignal): Promise<Array<boolean | null>> {
  const box = await getSandbox();
  const out: Array<boolean | null> = [];
  // The expression is compiled once per chunk as the body of a function of `input`; it still runs
  // entirely inside QuickJS, so whatever it contains cannot reach the host.
  const expression = `inputs.map((input) => { try { return Boolean((() => (${when}\n))()); } catch { return null; } })`;
  for (let i = 0; i < inputs.length; i += CHUNK) {
    try {
      const result = await box.evaluate({ expression, scope: { inputs: inputs.slice(i, i + CHUNK) }, signal });
      if (!Array.isArray(result)) throw new AppError("BAD_REQUEST", "when: the expression could not be evaluated", { path: "when" });
      for (const value of result) out.push(value === null ? null : Boolean(value));
    } catch (error) {
      if (isSandboxError(error)) throw new AppError("BAD_REQUEST", `when: ${error.message}`, { path: "when", cause: error });
      throw error;
    }
  }
  return out;
}

/** Refuses an expression that does not compile (or takes too long on an empty input), before it is saved. */
export async function checkWhen(when: string): Promise<void> {
  await evaluateWhen(when, [{}]);
}
