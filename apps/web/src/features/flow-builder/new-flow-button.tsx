"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { LayoutTemplate, Plus, Sparkles } from "lucide-react";
import { flowTemplates, instantiateTemplate, type FlowEdgeInput, type FlowNodeInput, type FlowTemplate } from "@weft/flow";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useTRPCClient } from "@/trpc/client";

type Graph = { nodes: FlowNodeInput[]; edges: FlowEdgeInput[] };

const BLANK: Graph = {
  nodes: [
    { id: "start", type: "source", position: { x: 0, y: 0 }, data: { config: {} } },
    { id: "end", type: "sink", position: { x: 480, y: 0 }, data: { config: {} } },
  ],
  edges: [],
};

/** Creates a flow, blank (a start and an end block) or from a template, and opens it in the builder. */
function useCreateFlow(workspaceId: string) {
  const client = useTRPCClient();
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (template: FlowTemplate | null) => {
    setPending(template?.id ?? "blank");
    setError(null);
    try {
      let graph = BLANK;
      if (template) {
        // AI blocks of a template get the workspace's oldest connection (if it has one; the list is newest first).
        const connections = template.needsConnection ? await client.connections.list.query({ workspaceId }) : [];
        const connection = connections.at(-1);
        graph = instantiateTemplate(template, connection ? { connection } : {});
      }
      const flow = await client.flows.create.mutate({
        workspaceId,
        name: template?.name ?? "Untitled flow",
        ...(template ? { description: template.description } : {}),
        ...graph,
      });
      router.push(`/w/${workspaceId}/flows/${flow.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not create the flow");
      setPending(null);
    }
  };
  return { create, pending, error };
}

/** "New flow" (blank) and "From a template" (a dialog listing the example flows). */
export function NewFlowButton({ workspaceId }: { workspaceId: string }) {
  const { create, pending, error } = useCreateFlow(workspaceId);
  const [choosing, setChoosing] = useState(false);
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-2">
        <Button type="button" variant="outline" onClick={() => setChoosing(true)}>
          <LayoutTemplate aria-hidden />
          From a template
        </Button>
        <Button type="button" pending={pending === "blank" && !choosing} onClick={() => void create(null)}>
          <Plus aria-hidden />
          New flow
        </Button>
      </div>
      {error && !choosing ? <p className="text-sm text-destructive">{error}</p> : null}
      <Dialog
        open={choosing}
        onClose={() => setChoosing(false)}
        title="New flow from a template"
        description="Start from an example and change it on the canvas."
        className="max-w-xl"
      >
        <ul className="flex flex-col gap-2" aria-label="Templates">
          <TemplateChoice
            id="blank"
            name="Blank flow"
            description="A start block and an end block."
            pending={pending === "blank"}
            disabled={pending !== null}
            onChoose={() => void create(null)}
          />
          {flowTemplates.map((template) => (
            <TemplateChoice
              key={template.id}
              id={template.id}
              name={template.name}
              description={template.description}
              needsConnection={template.needsConnection}
              pending={pending === template.id}
              disabled={pending !== null}
              onChoose={() => void create(template)}
            />
          ))}
        </ul>
        {error ? <Alert variant="error">{error}</Alert> : null}
      </Dialog>
    </div>
  );
}

function TemplateChoice({
  id,
  name,
  description,
  needsConnection = false,
  pending,
  disabled,
  onChoose,
}: {
  id: string;
  name: string;
  description: string;
  needsConnection?: boolean;
  pending: boolean;
  disabled: boolean;
  onChoose: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        data-testid={`template-${id}`}
        aria-describedby={`template-${id}-description`}
        aria-busy={pending || undefined}
        disabled={disabled}
        onClick={onChoose}
        className="flex w-full flex-col items-start gap-1 rounded-md border border-border p-3 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-60"
      >
        <span className="flex items-center gap-2 text-sm font-medium">
          {name}
          {needsConnection ? (
            <Badge variant="outline">
              <Sparkles className="size-3" aria-hidden />
              needs an AI connection
            </Badge>
          ) : null}
          {pending ? <span className="text-xs text-muted-foreground">Creating…</span> : null}
        </span>
        <span id={`template-${id}-description`} className="text-xs text-muted-foreground">
          {description}
        </span>
      </button>
    </li>
  );
}
