import { memo } from "react";
import { CheckCircle2, CircleDashed, CircleSlash, Loader2, PauseCircle, XCircle, SkipForward } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";

const styles = {
  pending: { variant: "outline", Icon: CircleDashed, label: "Pending" },
  running: { variant: "neutral", Icon: Loader2, label: "Running" },
  paused: { variant: "warning", Icon: PauseCircle, label: "Paused" },
  completed: { variant: "success", Icon: CheckCircle2, label: "Completed" },
  failed: { variant: "destructive", Icon: XCircle, label: "Failed" },
  cancelled: { variant: "outline", Icon: CircleSlash, label: "Cancelled" },
  skipped: { variant: "outline", Icon: SkipForward, label: "Skipped" },
  waiting: { variant: "warning", Icon: PauseCircle, label: "Waiting for approval" },
} as const;

export type DisplayStatus = keyof typeof styles;

const known = (status: string): status is DisplayStatus => status in styles;

/** A status's label ("Waiting for approval" for `waiting`), or the status itself when unknown. */
export const statusLabel = (status: string) => (known(status) ? styles[status].label : status);

/** What a listed run's badge says: a run paused at an approval is "waiting" (for approval), not "paused". */
export const rowStatus = (row: { status: string; awaitingApproval?: boolean }) => (row.status === "paused" && row.awaitingApproval ? "waiting" : row.status);

/** A run's or a step's status as a coloured badge with an icon (not colour alone). */
export const StatusBadge = memo(function StatusBadge({ status, className }: { status: string; className?: string }) {
  const style = known(status) ? styles[status] : { variant: "outline" as const, Icon: CircleDashed, label: status };
  const { Icon } = style;
  return (
    <Badge variant={style.variant} className={className} data-status={status}>
      <Icon className={cn("size-3.5", status === "running" && "animate-spin")} aria-hidden />
      {style.label}
    </Badge>
  );
});

/** Just the icon, for compact places such as a step card's title. */
export const StatusIcon = memo(function StatusIcon({ status, className }: { status: string; className?: string }) {
  const style = known(status) ? styles[status] : styles.pending;
  const { Icon } = style;
  const tone =
    status === "completed" ? "text-success" : status === "failed" ? "text-destructive" : status === "paused" || status === "waiting" ? "text-warning" : "text-muted-foreground";
  return <Icon className={cn("size-4 shrink-0", tone, status === "running" && "animate-spin", className)} aria-label={style.label} />;
});
