import {
  allowedSourceHandles,
  blockCatalog,
  blockConfigSchemas,
  blockTypes,
  isBlockType,
  type BlockCatalogEntry,
  type BlockType,
} from "@weft/flow";

/** The palette: every block type of the catalog except the io blocks (Start, End) a new flow already has, in catalog order. */
export const paletteEntries: readonly BlockCatalogEntry[] = blockTypes.filter((type) => blockCatalog[type].category !== "io").map((type) => blockCatalog[type]);

/** Quick-add (from "/" or a "+" on a handle): the palette plus End, to close a path. */
export const quickAddEntries: readonly BlockCatalogEntry[] = [...paletteEntries, blockCatalog.sink];

/** Whether an entry matches a search: its name, type, description or category, case-insensitive. */
export function matchesSearch(entry: BlockCatalogEntry, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [entry.label, entry.type, entry.description, entry.category].some((text) => text.toLowerCase().includes(q));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const clip = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * One line under a block's title on the canvas: what it is set to do (the model, the URL, the route
 * count...), or null when there is nothing worth saying. Reads the config as it is (maybe invalid).
 */
export function blockSummary(type: string, config: unknown): string | null {
  const c = config && typeof config === "object" ? (config as Record<string, unknown>) : {};
  const str = (key: string) => (typeof c[key] === "string" && (c[key]).trim() ? (c[key]).trim() : null);
  const list = (key: string) => (Array.isArray(c[key]) ? (c[key] as unknown[]) : null);
  switch (type) {
    case "source": {
      const schema = c.inputSchema as { properties?: Record<string, unknown> } | undefined;
      const n = schema?.properties && typeof schema.properties === "object" ? Object.keys(schema.properties).length : 0;
      return n > 0 ? plural(n, "input field") : "No input fields";
    }
    case "sink":
      return c.value === undefined ? "Returns its input" : "Returns a value";
    case "function": {
      const code = str("code");
      return code ? plural(code.split("\n").length, "line") + " of code" : null;
    }
    case "router": {
      const routes = list("routes")?.length ?? 0;
      return `${plural(routes, "route")}${c.mode === "ai" ? ", chosen by AI" : ""}`;
    }
    case "parallel": {
      const branches = list("branches")?.length;
      const merge = typeof c.merge === "string" ? c.merge : "all";
      return `${branches ? plural(branches, "branch", "branches") : "Branches from edges"}, wait for ${merge}`;
    }
    case "loop":
      return str("over") ? `Over ${clip(str("over")!)}` : str("while") ? `While ${clip(str("while")!)}` : null;
    case "http": {
      const url = str("url");
      return url ? `${typeof c.method === "string" ? c.method : "GET"} ${clip(url)}` : null;
    }
    case "ai": {
      const model = str("model");
      const tools = list("tools")?.length ?? 0;
      return model ? `${model}${tools ? ` · ${plural(tools, "tool")}` : ""}` : "No model chosen";
    }
    case "approval":
      return str("message") ? clip(str("message")!) : null;
    case "delay":
      return typeof c.ms === "number" ? `Waits ${c.ms >= 1000 ? `${c.ms / 1000} s` : `${c.ms} ms`}` : null;
    default:
      return null;
  }
}

/**
 * Starting config of a new block: the smallest config its schema accepts, so a freshly dropped block
 * is valid where that is possible (an AI block still needs a connection and a model).
 */
const starterConfigs: { [K in BlockType]: Record<string, unknown> } = {
  source: {},
  sink: {},
  function: { code: "return input;" },
  router: { routes: [{ handle: "yes", when: "Boolean(input)" }], default: "no" },
  parallel: { branches: ["a", "b"], merge: "all" },
  loop: { over: "{{ input.items }}", maxIterations: 100 },
  http: { method: "GET", url: "https://example.com" },
  ai: { prompt: "{{ input }}" },
  approval: { message: "Approve this run?" },
  delay: { ms: 1000 },
};

export function starterConfig(type: BlockType): Record<string, unknown> {
  return structuredClone(starterConfigs[type]);
}

export type OutputHandle = { id: string | null; label: string | null };

/** The output handles a node shows, from the catalog and its (possibly invalid) config. */
export function outputHandles(type: string, config: unknown): OutputHandle[] {
  if (!isBlockType(type)) return [{ id: null, label: null }];
  const handles = blockCatalog[type].handles;
  if (handles.outputs === "none") return [];
  if (handles.outputs === "single") return [{ id: null, label: null }];
  const parsed = blockConfigSchemas[type].safeParse(config ?? {});
  let named: readonly (string | null)[] | undefined;
  if (parsed.success) {
    named = allowedSourceHandles(type, parsed.data as never);
  } else {
    named = [...handles.staticOutputs, ...(handles.defaultOutput ? [null] : [])];
  }
  if (named === undefined) return [{ id: null, label: null }];
  return named.map((id) => ({ id, label: id ?? (type === "loop" ? "done" : "default") }));
}

export function blockLabel(type: string): string {
  return isBlockType(type) ? blockCatalog[type].label : type;
}

export function acceptsInput(type: string): boolean {
  return isBlockType(type) ? blockCatalog[type].handles.inputs : true;
}

/** What a block is called on the canvas: its label, else its type's name. */
export const blockTitle = (label: string | undefined, type: string) => label?.trim() || blockLabel(type);
