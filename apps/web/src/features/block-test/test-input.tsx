"use client";

import { useEffect, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Button } from "@/components/ui/button";
import { describeProblems, formFromSchema, initialValues, inputFromForm, schemaProblems, type FormValues } from "@/features/flow-builder/input-form";
import { InputFieldControl } from "@/features/flow-builder/run-dialog";
import { useTRPCClient, useTRPC } from "@/trpc/client";
import type { TestTarget } from "./test-panel";

/** The input a test runs with, or what is wrong with it. */
export type TestInputValue = { input: unknown; error: string | null };

/**
 * The test input: a form from the upstream source's `inputSchema` when the block follows the source;
 * otherwise JSON, which can be filled from the node's input in one of the flow's last 10 runs
 * ("Use input from run #abc123", pinned data).
 */
export function TestInput({
  workspaceId,
  target,
  inputSchema,
  onChange,
}: {
  workspaceId: string;
  target: TestTarget;
  inputSchema?: unknown;
  onChange: (value: TestInputValue) => void;
}) {
  const fields = useMemo(() => formFromSchema(inputSchema), [inputSchema]);
  const [asJson, setAsJson] = useState(fields === null);
  const [values, setValues] = useState<FormValues>(() => (fields ? initialValues(fields) : {}));
  const [text, setText] = useState("{}");
  const [from, setFrom] = useState("");

  useEffect(() => {
    if (!asJson && fields) {
      const { input, errors } = inputFromForm(fields, values);
      const problems = Object.keys(errors).length > 0 ? errors : schemaProblems(inputSchema, input);
      onChange({ input, error: Object.keys(problems).length > 0 ? `Check the input: ${describeProblems(problems, fields)}.` : null });
      return;
    }
    try {
      onChange({ input: text.trim() === "" ? undefined : (JSON.parse(text) as unknown), error: null });
    } catch {
      onChange({ input: undefined, error: "The input is not valid JSON" });
    }
  }, [asJson, fields, values, text, inputSchema, onChange]);

  return (
    <div className="flex flex-col gap-2">
      {"flowId" in target ? (
        <PastRunPicker
          workspaceId={workspaceId}
          flowId={target.flowId}
          nodeId={target.nodeId}
          value={from}
          onPick={(executionId, input) => {
            setFrom(executionId);
            setText(JSON.stringify(input ?? {}, null, 2));
            setAsJson(true);
          }}
        />
      ) : null}
      {asJson || !fields ? (
        <Field id="test-input" label="Input (JSON)">
          {(control) => (
            <textarea
              {...control}
              rows={5}
              spellCheck={false}
              className={cn(controlClasses, "h-auto py-2 font-mono text-xs")}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
      ) : (
        fields.map((field) => (
          <InputFieldControl
            key={field.name}
            idPrefix="test-input"
            field={field}
            value={values[field.name]}
            error={null}
            onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
          />
        ))
      )}
      {fields ? (
        <Button type="button" variant="ghost" size="sm" className="self-start" onClick={() => setAsJson(!asJson)}>
          {asJson ? "Use the form" : "Edit as JSON"}
        </Button>
      ) : null}
    </div>
  );
}

/** "Use input from run #…": the node's input in one of the flow's last 10 runs. */
function PastRunPicker({
  workspaceId,
  flowId,
  nodeId,
  value,
  onPick,
}: {
  workspaceId: string;
  flowId: string;
  nodeId: string;
  value: string;
  onPick: (executionId: string, input: unknown) => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const runs = useQuery(trpc.executions.list.queryOptions({ workspaceId, flowId, limit: 10 }));
  const [error, setError] = useState<string | null>(null);
  if (!runs.data || runs.data.items.length === 0) return null;
  return (
    <Field id="test-input-run" label="Use input from a run" error={error}>
      {(control) => (
        <Select
          {...control}
          value={value}
          onChange={async (e) => {
            const executionId = e.target.value;
            if (!executionId) return;
            setError(null);
            const run = await client.executions.byId.query({ workspaceId, executionId });
            const block = (run.blocks as Array<{ nodeId: string; input: unknown }>).findLast((b) => b.nodeId === nodeId);
            if (!block) setError(`This block did not run in run #${executionId.slice(0, 8)}`);
            else onPick(executionId, block.input);
          }}
        >
          <option value="">—</option>
          {runs.data.items.map((run) => (
            <option key={run.id} value={run.id}>
              Use input from run #{run.id.slice(0, 8)} ({run.status})
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
