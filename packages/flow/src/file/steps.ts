// The step shape (seed 002): `name`, `argsSchema`, `phases`, `steps: [{ id, name, phase, type, ... }]`.
// Steps run in order: Start -> step 1 -> ... -> End. Everything of a step besides its id, name, phase,
// type and failure settings is the block's config (`runs_on` is spelled `runsOn`).
import { z } from "zod";
import { JsonSchemaObject } from "../schema";
import type { FlowFileEdgeInput as FlowFileEdge, FlowFileInput, FlowFileNodeInput as FlowFileNode } from "./format";
import {
  FailureSettings,
  type SourceProblem,
  StepId,
  failureData,
  rewriteArgs,
  runnerTypeProblem,
  uniqueId,
  zodProblems,
} from "./inherited";

const Step = z.looseObject({
  id: StepId,
  name: z.string().max(200).optional(),
  phase: z.string().min(1).max(200).optional(),
  type: z.string().min(1, "must name the step type"),
  ...FailureSettings,
});

export const StepWorkflow = z.looseObject({
  id: z.string().optional(),
  name: z.string().trim().min(1, "must not be empty").max(200),
  description: z.string().max(2000).optional(),
  argsSchema: JsonSchemaObject.optional(),
  phases: z.array(z.string().min(1).max(200)).optional(),
  steps: z.array(Step).min(1, "must hold at least one step").max(998),
});

const META = new Set(["id", "name", "phase", "type", "on_failure", "retries", "retry_backoff", "timeout", "runs_on"]);

export function isStepWorkflow(value: Record<string, unknown>): boolean {
  return Array.isArray(value.steps);
}

export function stepWorkflowToFile(value: unknown): { file?: FlowFileInput; problems: SourceProblem[] } {
  const parsed = StepWorkflow.safeParse(value);
  if (!parsed.success) return { problems: zodProblems(parsed.error) };
  const wf = parsed.data;
  const problems: SourceProblem[] = [];
  const taken = new Set<string>();
  wf.steps.forEach((step, i) => {
    if (taken.has(step.id)) problems.push({ path: ["steps", i, "id"], message: `repeats the step id "${step.id}"` });
    taken.add(step.id);
    const runner = runnerTypeProblem(step.type, `Step "${step.id}"`, ["steps", i, "type"]);
    if (runner) problems.push(runner);
  });
  if (problems.length > 0) return { problems };

  const start = uniqueId("start", taken);
  const end = uniqueId("end", taken);
  const nodes: FlowFileNode[] = [{ id: start, type: "source", label: "Start" }];
  for (const step of wf.steps) {
    const config: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(step)) if (!META.has(key)) config[key] = v;
    if (step.runs_on !== undefined) config.runsOn = step.runs_on;
    // Code is JavaScript on `input`, not a template: `{{ args.x }}` is rewritten everywhere else.
    const rewritten = step.type === "function" ? config : (rewriteArgs(config, start) as Record<string, unknown>);
    nodes.push({
      id: step.id,
      type: step.type,
      ...(step.name !== undefined ? { label: step.name } : {}),
      ...(step.phase !== undefined ? { phase: step.phase } : {}),
      config: rewritten,
      ...failureData(step),
    });
  }
  nodes.push({ id: end, type: "sink", label: "End" });
  const edges: FlowFileEdge[] = nodes.slice(1).map((node, i) => ({ source: nodes[i]!.id, target: node.id }));
  const phases = wf.phases ?? [...new Set(wf.steps.flatMap((s) => (s.phase ? [s.phase] : [])))];
  return {
    problems: [],
    file: {
      format: "weft/v1",
      name: wf.name,
      ...(wf.description ? { description: wf.description } : {}),
      ...(wf.argsSchema ? { inputSchema: wf.argsSchema } : {}),
      ...(phases.length > 0 ? { phases } : {}),
      nodes,
      edges,
    },
  };
}
