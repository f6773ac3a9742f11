import Link from "next/link";
import { PencilRuler } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { errorHint } from "./error-hints";

/** The builder with a node selected: the flow page's `?node=<id>` (see the builder's selection hook). */
export const builderUrl = (workspaceId: string, flowId: string, nodeId?: string | null) =>
  `/w/${workspaceId}/flows/${flowId}${nodeId ? `?node=${encodeURIComponent(nodeId)}` : ""}`;

/**
 * Why a run failed: the block by its label (and id), the message, what to do about it, and a link to
 * the builder with that block selected.
 */
export function RunFailure({
  workspaceId,
  flowId,
  error,
  title,
  flowDeleted,
}: {
  workspaceId: string;
  flowId: string;
  error: { code?: string; message?: string; nodeId?: string };
  /** The failed block's label, when the error names a node. */
  title: string | null;
  flowDeleted: boolean;
}) {
  const hint = errorHint(error.code);
  return (
    <Alert variant="error" title={error.nodeId ? `Run failed at “${title ?? error.nodeId}”` : "Run failed"}>
      <div className="flex flex-col gap-2" data-testid="execution-failure">
        <p>
          {error.nodeId && title !== error.nodeId ? <span className="mr-2 font-mono text-xs">{error.nodeId}</span> : null}
          {error.code ? <span className="mr-2 font-mono text-xs">{error.code}</span> : null}
          <span data-testid="execution-error">{error.message ?? error.code}</span>
        </p>
        {hint ? (
          <p className="text-foreground" data-testid="execution-error-hint">
            {hint}
          </p>
        ) : null}
        {!flowDeleted ? (
          <Link
            href={builderUrl(workspaceId, flowId, error.nodeId)}
            className="inline-flex w-fit items-center gap-1.5 font-medium text-foreground underline underline-offset-4"
            data-testid="open-in-builder"
          >
            <PencilRuler className="size-4" aria-hidden />
            Open in builder{error.nodeId ? ` at “${title ?? error.nodeId}”` : ""}
          </Link>
        ) : null}
      </div>
    </Alert>
  );
}
