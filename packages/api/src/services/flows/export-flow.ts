import { and, eq, flowVersions } from "@weft/db";
import { exportFlow as toFileText, type FlowFileTriggers } from "@weft/flow";
import { MASK } from "@weft/engine";
import { z } from "zod";
import type { Actor, Deps } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { parseInput } from "../../lib/validation";
import { listSchedules } from "../schedules/list-schedules";
import { getWebhook } from "../webhooks/get-webhook";
import { loadRunVariables } from "../variables/load-run-variables";
import { findFlow } from "./find-flow";

export const ExportFlowInput = z.object({
  flowId: z.uuid(),
  format: z.enum(["yaml", "json"]).default("yaml"),
  /** A published version; default: the draft. */
  version: z.coerce.number().int().min(1).optional(),
});

export type ExportedFlow = { body: string; contentType: string; filename: string };

/**
 * The flow as a `weft/v1` file (viewers may export): the draft or a published version, its webhook
 * settings (never a secret) and schedules. A secret variable's value pasted into the graph comes out
 * as `***`.
 */
export async function exportFlow(deps: Deps, { actor, input }: { actor: Actor; input: unknown }): Promise<ExportedFlow> {
  const { flowId, format, version } = parseInput(ExportFlowInput, input);
  const flow = await findFlow(deps.db, { workspaceId: actor.workspaceId, flowId });
  let graph = { nodes: flow.nodes, edges: flow.edges };
  if (version !== undefined) {
    const [row] = await deps.db
      .select({ nodes: flowVersions.nodes, edges: flowVersions.edges })
      .from(flowVersions)
      .where(and(eq(flowVersions.workspaceId, actor.workspaceId), eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)));
    if (!row) throw new AppError("NOT_FOUND", `Version ${version} of this flow not found`, { path: "version" });
    graph = row;
  }
  const [{ webhook }, schedules, variables] = await Promise.all([
    getWebhook(deps, { actor, input: { flowId } }),
    listSchedules(deps, { actor, input: { flowId } }),
    loadRunVariables(deps, { workspaceId: actor.workspaceId }),
  ]);
  const triggers: FlowFileTriggers = {
    ...(webhook
      ? {
          webhook: {
            enabled: webhook.enabled,
            responseMode: webhook.responseMode,
            syncTimeoutMs: webhook.syncTimeoutMs,
            rateLimitPerMinute: webhook.rateLimitPerMinute,
            maxBodyBytes: webhook.maxBodyBytes,
            signed: webhook.signatureRequired,
          },
        }
      : {}),
    ...(schedules.length > 0
      ? {
          schedules: schedules.map((s) => ({
            cron: s.cron,
            timezone: s.timezone,
            enabled: s.enabled,
            overlapPolicy: s.overlapPolicy,
            catchupPolicy: s.catchupPolicy,
            catchupWindowMs: s.catchupWindowMs,
            catchupMax: s.catchupMax,
            ...(s.input != null ? { input: s.input as Record<string, unknown> } : {}),
          })),
        }
      : {}),
  };
  let body = toFileText({ id: flow.id, name: flow.name, description: flow.description, ...graph, triggers }, format);
  for (const secret of [...variables.secrets].filter(Boolean).sort((a, b) => b.length - a.length)) body = body.split(secret).join(MASK);
  const slug = flow.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "flow";
  return {
    body,
    contentType: format === "json" ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
    filename: `${slug}${version !== undefined ? `.v${version}` : ""}.weft.${format === "json" ? "json" : "yaml"}`,
  };
}
