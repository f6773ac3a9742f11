// The stage shape (seed 004, `*.workflow.yml`): `stages` in order, `stageConfigs` per stage, and an
// optional `loop` over all stages with `max_iters`, `stop_when` and `fallback_next_stage`.
// Every stage is an `agent` block (provider claude-code|claude -> claude, codex, gemini) in its own
// phase; `mode: parallel` puts a parallel block in front of it; the loop becomes a loop block whose
// body is the stages, with `maxIterations`, `stopWhen` and the `limit` handle leading to the fallback.
import { z } from "zod";
import { LoopConfig } from "../schema";
import type { FlowFileEdgeInput as FlowFileEdge, FlowFileInput, FlowFileNodeInput as FlowFileNode } from "./format";
import { FailureSettings, type SourceProblem, StepId, failureData, rewriteArgs, runnerTypeProblem, uniqueId, zodProblems } from "./inherited";

const PROVIDERS: Record<string, "claude" | "codex" | "gemini"> = {
  "claude-code": "claude",
  claude: "claude",
  codex: "codex",
  "codex-cli": "codex",
  gemini: "gemini",
  "gemini-cli": "gemini",
};

const StageConfig = z.looseObject({
  provider: z.string().refine((p) => p in PROVIDERS, { message: `must be one of ${Object.keys(PROVIDERS).join(", ")}` }),
  role: z.string().max(100).optional(),
  profile: z.string().max(100).optional(),
  mode: z.enum(["sequential", "parallel"]).optional(),
  prompt: z.string().min(1, "must not be empty"),
  model: z.string().optional(),
  permission: z.string().optional(),
  runs_on: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  ...FailureSettings,
});
type StageConfig = z.infer<typeof StageConfig>;

export const StageWorkflow = z.looseObject({
  id: z.string().optional(),
  name: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().max(2000).optional(),
  stages: z.array(StepId).min(1, "must list at least one stage").max(500),
  loop: z
    .strictObject({
      max_iters: z.number().int().min(1).max(10_000),
      stop_when: z.string().min(1).optional(),
      fallback_next_stage: StepId.optional(),
    })
    .optional(),
  stageConfigs: z.record(z.string(), StageConfig),
});

export function isStageWorkflow(value: Record<string, unknown>): boolean {
  return Array.isArray(value.stages) && "stageConfigs" in value;
}

function agentNode(stage: string, cfg: StageConfig): FlowFileNode {
  const config: Record<string, unknown> = { agent: PROVIDERS[cfg.provider], prompt: cfg.prompt };
  if (cfg.permission !== undefined) config.permission = cfg.permission;
  if (cfg.model !== undefined) config.model = cfg.model;
  if (cfg.runs_on !== undefined) config.runsOn = cfg.runs_on;
  if (cfg.cwd !== undefined) config.cwd = cfg.cwd;
  const detail = [cfg.role, cfg.profile].filter(Boolean).join(", ");
  return {
    id: stage,
    type: "agent",
    label: detail ? `${stage} (${detail})` : stage,
    phase: stage,
    config: rewriteArgs(config, "start") as Record<string, unknown>,
    ...failureData(cfg),
  };
}

export function stageWorkflowToFile(value: unknown): { file?: FlowFileInput; problems: SourceProblem[] } {
  const parsed = StageWorkflow.safeParse(value);
  if (!parsed.success) return { problems: zodProblems(parsed.error) };
  const wf = parsed.data;
  const problems: SourceProblem[] = [];
  const fallback = wf.loop?.fallback_next_stage;
  const used = fallback ? [...wf.stages, fallback] : wf.stages;
  used.forEach((stage, i) => {
    const path = i < wf.stages.length ? ["stages", i] : ["loop", "fallback_next_stage"];
    if (!wf.stageConfigs[stage]) problems.push({ path, message: `names the stage "${stage}", which has no entry in stageConfigs` });
    if (wf.stages.indexOf(stage) !== i && i < wf.stages.length) problems.push({ path, message: `repeats the stage "${stage}"` });
  });
  if (fallback && wf.stages.includes(fallback)) {
    problems.push({ path: ["loop", "fallback_next_stage"], message: "must be a stage outside the loop (not listed in stages)" });
  }
  const agentProblem = runnerTypeProblem("agent", `Stage "${wf.stages[0]}"`, ["stageConfigs", wf.stages[0]!, "provider"]);
  if (agentProblem) {
    for (const stage of used) {
      if (wf.stageConfigs[stage]) problems.push({ ...agentProblem, path: ["stageConfigs", stage, "provider"], message: agentProblem.message.replace(`"${wf.stages[0]}"`, `"${stage}"`) });
    }
  }
  if (wf.loop && !("stopWhen" in LoopConfig.shape)) {
    problems.push({ path: ["loop"], message: "needs the loop block's stopWhen and limit handle, which this server does not have yet" });
  }
  if (problems.length > 0) return { problems };

  const taken = new Set<string>(used);
  const start = uniqueId("start", taken);
  const end = uniqueId("end", taken);
  const nodes: FlowFileNode[] = [{ id: start, type: "source", label: "Start" }];
  const edges: FlowFileEdge[] = [];
  // `link` connects the previous exit to the next entry (a handle for the first edge out of a loop).
  let previous: { id: string; handle?: string } = { id: start };
  const link = (target: string) => {
    edges.push({ source: previous.id, target, ...(previous.handle ? { sourceHandle: previous.handle } : {}) });
  };
  let loopId: string | undefined;
  if (wf.loop) {
    loopId = uniqueId("loop", taken);
    const stopWhen = wf.loop.stop_when?.replace(new RegExp(`\\boutput\\.${wf.stages.at(-1)}\\b`, "g"), "output");
    nodes.push({
      id: loopId,
      type: "loop",
      label: "Repeat the stages",
      config: {
        while: "true",
        maxIterations: wf.loop.max_iters,
        ...(stopWhen ? { stopWhen } : {}),
        ...(fallback ? { onLimit: "continue" } : {}),
      },
    });
    link(loopId);
    previous = { id: loopId, handle: "body" };
  }
  for (const stage of wf.stages) {
    const cfg = wf.stageConfigs[stage]!;
    if (cfg.mode === "parallel") {
      const fan = uniqueId(`${stage}-parallel`, taken);
      nodes.push({ id: fan, type: "parallel", label: `${stage} (parallel)`, phase: stage, config: { branches: ["run"], merge: "all" } });
      link(fan);
      previous = { id: fan, handle: "run" };
    }
    nodes.push(agentNode(stage, cfg));
    link(stage);
    previous = { id: stage };
  }
  if (loopId) previous = { id: loopId };
  nodes.push({ id: end, type: "sink", label: "End" });
  link(end);
  if (loopId && fallback) {
    nodes.push(agentNode(fallback, wf.stageConfigs[fallback]!));
    edges.push({ source: loopId, sourceHandle: "limit", target: fallback });
    const fallbackEnd = uniqueId("end-fallback", taken);
    nodes.push({ id: fallbackEnd, type: "sink", label: "End (fallback)" });
    edges.push({ source: fallback, target: fallbackEnd });
  }
  return {
    problems: [],
    file: {
      format: "weft/v1",
      name: wf.name,
      ...(wf.description ? { description: wf.description } : {}),
      phases: used,
      nodes,
      edges,
    },
  };
}
