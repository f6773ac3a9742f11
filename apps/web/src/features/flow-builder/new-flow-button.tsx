"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useTRPCClient } from "@/trpc/client";

/** Creates a flow with a start and an end block, connected, and opens it in the builder. */
export function NewFlowButton({ workspaceId }: { workspaceId: string }) {
  const client = useTRPCClient();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        type="button"
        pending={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          try {
            const flow = await client.flows.create.mutate({
              workspaceId,
              name: "Untitled flow",
              nodes: [
                { id: "start", type: "source", position: { x: 0, y: 0 }, data: { config: {} } },
                { id: "end", type: "sink", position: { x: 480, y: 0 }, data: { config: {} } },
              ],
              edges: [],
            });
            router.push(`/w/${workspaceId}/flows/${flow.id}`);
          } catch (e) {
            setError(e instanceof Error ? e.message : "Could not create the flow");
            setPending(false);
          }
        }}
      >
        <Plus aria-hidden />
        New flow
      </Button>
      {error ? <p className="text-sm text-destructive">{error}</p> : null}
    </div>
  );
}
