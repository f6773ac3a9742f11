import {
  allowedSourceHandles,
  blockCatalog,
  blockConfigSchemas,
  blockTypes,
  isBlockType,
  type BlockCatalogEntry,
  type BlockType,
} from "@weft/flow";

/** The palette: every block type of the catalog except the io blocks a new flow already has, in catalog order. */
export const paletteEntries: readonly BlockCatalogEntry[] = blockTypes.map((type) => blockCatalog[type]);

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
