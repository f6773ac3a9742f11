import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { BlockError, type BlockExecutor } from "../runtime/block";
import type { BlockServices } from "./types";

const ajv = new Ajv2020({ allErrors: false, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

/** Validates a value against a JSON Schema; the first problem as `path: message`, or null. */
export function jsonSchemaProblem(schema: object, value: unknown): string | null {
  const validate = ajv.compile(schema);
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  if (!error) return "does not match the schema";
  const path = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  return `${path || "input"}: ${error.message ?? "is invalid"}`;
}

/**
 * What the source's `inputSchema` checks: the run input without its `trigger` key. Manual and API runs
 * have none; a webhook run's input is the JSON body's fields plus `trigger`, a scheduled run's the
 * schedule's input plus `trigger`, so one schema serves every way a flow starts.
 */
export function inputForSchema(input: unknown): unknown {
  if (input === null || input === undefined) return {};
  if (typeof input !== "object" || Array.isArray(input) || !("trigger" in input)) return input;
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  delete rest.trigger;
  return rest;
}

/** source: the run input, checked against `inputSchema` (see inputForSchema). */
export const sourceBlock: BlockExecutor = {
  type: "source",
  async execute({ node, input }) {
    const schema = node.config.inputSchema as object | undefined;
    if (schema) {
      const problem = jsonSchemaProblem(schema, inputForSchema(input));
      if (problem) throw new BlockError("INPUT_INVALID", `The run input is invalid: ${problem}`);
    }
    return { output: input ?? null };
  },
};

/** sink: `value` rendered as a template (or the input); it becomes the execution's output. */
export function sinkBlock(services: BlockServices): BlockExecutor {
  return {
    type: "sink",
    async execute({ node, input, scope }) {
      const value = node.config.value;
      return { output: value === undefined ? input : services.renderDeep(value, scope) };
    },
  };
}

/** parallel: passes its input to every branch; the merge node joins them (all/any/first). */
export const parallelBlock: BlockExecutor = {
  type: "parallel",
  async execute({ input }) {
    return { output: input };
  },
};

/** delay: waits `ms` (abortable), then passes its input on. */
export const delayBlock: BlockExecutor = {
  type: "delay",
  async execute({ node, input, signal }) {
    const ms = Number(node.config.ms ?? 0);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
    return { output: input };
  },
};

/** function: user JavaScript in the sandbox, with `input` and `ctx` in scope; console output captured. */
export function functionBlock(services: BlockServices): BlockExecutor {
  return {
    type: "function",
    async execute({ node, input, execution, iteration, attempt, signal, log }) {
      const { value, logs } = await services.runFunction({
        code: typeof node.config.code === "string" ? node.config.code : "",
        input,
        // Small on purpose: it is copied into the sandbox on every call (outputs of other nodes are
        // reachable through templates and the node's input).
        ctx: { executionId: execution.id, nodeId: node.id, iteration, attempt },
        signal,
      });
      for (const entry of logs) log(entry);
      return { output: value };
    },
  };
}

/** router (expression mode): the first route whose `when` is truthy, else `default`. Output `{ handle, input }`. */
export function routerBlock(services: BlockServices, aiRoute?: BlockExecutor["execute"]): BlockExecutor {
  return {
    type: "router",
    async execute(ctx) {
      const config = ctx.node.config as { mode?: string; routes?: Array<{ handle: string; when: string }>; default?: string };
      if (config.mode === "ai" && aiRoute) return aiRoute(ctx);
      for (const route of config.routes ?? []) {
        const verdict = await services.evaluate({ expression: route.when, scope: { input: ctx.input, nodes: ctx.scope.nodes }, signal: ctx.signal });
        if (verdict) return { output: { handle: route.handle, input: ctx.input }, handle: route.handle };
      }
      if (config.default) return { output: { handle: config.default, input: ctx.input }, handle: config.default };
      throw new BlockError("ROUTER_NO_ROUTE", `No route of ${ctx.node.id} matched and it has no default`);
    },
  };
}
