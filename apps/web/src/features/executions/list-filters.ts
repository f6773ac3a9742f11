import { executionStatuses, type ExecutionStatus } from "@weft/flow";
import { triggerTypes, type TriggerType } from "./format";

/**
 * The executions page's state, kept in the URL's search params so a filtered view or the board can be
 * shared, bookmarked and reloaded: `status`, `flow`, `trigger`, `q` (id prefix or flow name), `from`
 * and `to` (days, `YYYY-MM-DD`, inclusive, in the viewer's time zone), `view` (`list` | `board`) and
 * `group` (`status` | `phase`, for the board). Unknown or malformed values are ignored.
 */
export type ListFilters = {
  status: ExecutionStatus | "";
  flow: string;
  trigger: TriggerType | "";
  q: string;
  from: string;
  to: string;
  view: "list" | "board";
  group: "status" | "phase";
};

/** Rows per page of the list (the server page renders the first one). */
export const PAGE_SIZE = 25;

export const defaultFilters: ListFilters = { status: "", flow: "", trigger: "", q: "", from: "", to: "", view: "list", group: "status" };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | "" => (values.includes(value as T) ? (value as T) : "");

type ParamSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(source: ParamSource, name: string): string | undefined {
  if (typeof source.get === "function") return (source as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The filters in `URLSearchParams` (client) or Next's `searchParams` object (server page). */
export function parseFilters(source: ParamSource): ListFilters {
  const flow = read(source, "flow") ?? "";
  const from = read(source, "from") ?? "";
  const to = read(source, "to") ?? "";
  return {
    status: oneOf(executionStatuses, read(source, "status")),
    flow: UUID_RE.test(flow) ? flow : "",
    trigger: oneOf(triggerTypes, read(source, "trigger")),
    q: (read(source, "q") ?? "").slice(0, 200),
    from: DAY_RE.test(from) ? from : "",
    to: DAY_RE.test(to) ? to : "",
    view: read(source, "view") === "board" ? "board" : "list",
    group: read(source, "group") === "phase" ? "phase" : "status",
  };
}

/** The search string for `filters` (defaults left out), e.g. `?status=failed&view=board`. */
export function filtersToSearch(filters: ListFilters): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(defaultFilters) as (keyof ListFilters)[]) {
    const value = filters[key].trim();
    if (value !== defaultFilters[key]) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Any filter narrowing the rows (the view and grouping do not). */
export const isFiltered = (f: ListFilters) => Boolean(f.status || f.flow || f.trigger || f.q.trim() || f.from || f.to);

/** A local day's midnight; `to` days are inclusive, so the bound is the next midnight. */
function localMidnight(day: string, plusDays = 0): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays);
}

/** The `executions.list` input for the filters (dates in the local time zone of the caller). */
export function listInput(workspaceId: string, f: ListFilters, limit: number) {
  return {
    workspaceId,
    limit,
    status: f.status || undefined,
    flowId: f.flow || undefined,
    triggerType: f.trigger || undefined,
    search: f.q.trim() || undefined,
    createdFrom: f.from ? localMidnight(f.from) : undefined,
    createdTo: f.to ? localMidnight(f.to, 1) : undefined,
  };
}
