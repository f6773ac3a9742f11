// Example flows a user can start from ("New flow from a template"). Defined once, here, so the web
// app offers them and a test proves each one validates and compiles (templates.test.ts).
//
// An AI block needs a connection of the user's workspace, which a template cannot know: templates
// carry TEMPLATE_CONNECTION_ID, and instantiateTemplate() replaces it with a real connection (or
// removes it, so the new draft shows "pick a connection" on that block).
import { defaultModels, suggestedModels } from "./models";
import type { FlowEdgeInput, FlowNodeInput } from "./schema";

/** Stands for "the workspace's connection" in templates (a valid uuid, so templates validate). */
export const TEMPLATE_CONNECTION_ID = "00000000-0000-0000-0000-000000000000";

export interface FlowTemplate {
  /** Stable id (kebab-case), used in the UI and in tests. */
  id: string;
  name: string;
  description: string;
  /** Whether it has AI blocks, which need a connection to run. */
  needsConnection: boolean;
  nodes: FlowNodeInput[];
  edges: FlowEdgeInput[];
}

const at = (column: number, row = 0) => ({ x: column * 280, y: row * 160 });
const edge = (source: string, target: string, sourceHandle: string | null = null): FlowEdgeInput => ({
  id: `e-${source}-${sourceHandle ?? "out"}-${target}`,
  source,
  target,
  sourceHandle,
  targetHandle: null,
});

const summariseWebPage: FlowTemplate = {
  id: "summarise-web-page",
  name: "Summarise a web page",
  description: "Fetches a URL, strips the HTML down to text and asks an AI model for a short summary.",
  needsConnection: true,
  nodes: [
    {
      id: "start",
      type: "source",
      position: at(0),
      data: {
        config: {
          inputSchema: {
            type: "object",
            properties: { url: { type: "string", format: "uri", description: "The page to summarise" } },
            required: ["url"],
          },
        },
      },
    },
    { id: "fetch", type: "http", position: at(1), data: { label: "Fetch the page", config: { method: "GET", url: "{{ input.url }}", timeoutMs: 15_000 } } },
    {
      id: "extract",
      type: "function",
      position: at(2),
      data: {
        label: "Extract the text",
        config: {
          code: [
            "// The response body (HTML) -> readable text, cut to fit the prompt.",
            'const html = typeof input.body === "string" ? input.body : JSON.stringify(input.body);',
            "const text = html",
            '  .replace(/<script[\\s\\S]*?<\\/script>/gi, " ")',
            '  .replace(/<style[\\s\\S]*?<\\/style>/gi, " ")',
            '  .replace(/<[^>]+>/g, " ")',
            '  .replace(/&nbsp;/g, " ")',
            '  .replace(/\\s+/g, " ")',
            "  .trim();",
            "return { status: input.status, text: text.slice(0, 12000) };",
          ].join("\n"),
        },
      },
    },
    {
      id: "summarise",
      type: "ai",
      position: at(3),
      data: {
        label: "Summarise",
        config: {
          connectionId: TEMPLATE_CONNECTION_ID,
          model: defaultModels.openai,
          systemPrompt: "You summarise web pages for a busy reader: at most five short bullet points, in the language of the page.",
          prompt: "Summarise this page.\n\n{{ input.text }}",
          temperature: 0.2,
          maxTokens: 400,
        },
      },
    },
    { id: "end", type: "sink", position: at(4), data: { config: {} } },
  ],
  edges: [edge("start", "fetch"), edge("fetch", "extract"), edge("extract", "summarise"), edge("summarise", "end")],
};

const routeSupportTickets: FlowTemplate = {
  id: "route-support-tickets",
  name: "Route support tickets",
  description: "Sends each ticket down one route: urgent ones to on-call, billing questions to finance, the rest to the general queue.",
  needsConnection: false,
  nodes: [
    {
      id: "start",
      type: "source",
      position: at(0, 1),
      data: {
        config: {
          inputSchema: {
            type: "object",
            properties: {
              subject: { type: "string", description: "The ticket's subject line" },
              body: { type: "string", description: "The customer's message" },
              priority: { type: "string", enum: ["low", "normal", "urgent"], default: "normal" },
            },
            required: ["subject", "body"],
          },
        },
      },
    },
    {
      id: "triage",
      type: "router",
      position: at(1, 1),
      data: {
        label: "Triage",
        config: {
          mode: "expression",
          routes: [
            { handle: "urgent", when: 'input.priority === "urgent"' },
            { handle: "billing", when: '/invoice|refund|charge|payment/i.test(input.subject + " " + input.body)' },
          ],
          default: "general",
        },
      },
    },
    ...(
      [
        ["urgent", "on-call", "Page the on-call engineer", 0],
        ["billing", "finance", "Hand over to finance", 1],
        ["general", "support", "Queue for support", 2],
      ] as const
    ).flatMap(([handle, queue, label, row]): FlowNodeInput[] => [
      {
        id: `to_${handle}`,
        type: "function",
        position: at(2, row),
        data: {
          label,
          config: {
            code: [
              "// The router's output is { handle, input }: the ticket and the route it took.",
              "const ticket = input.input;",
              `return { queue: ${JSON.stringify(queue)}, route: input.handle, subject: ticket.subject, priority: ticket.priority ?? "normal" };`,
            ].join("\n"),
          },
        },
      },
      { id: `done_${handle}`, type: "sink", position: at(3, row), data: { config: {} } },
    ]),
  ],
  edges: [
    edge("start", "triage"),
    ...["urgent", "billing", "general"].flatMap((handle) => [edge("triage", `to_${handle}`, handle), edge(`to_${handle}`, `done_${handle}`)]),
  ],
};

const fanOutEnrichment: FlowTemplate = {
  id: "fan-out-enrichment",
  name: "Enrich a list (loop + parallel)",
  description: "Loops over a list of email addresses and enriches each one in two parallel branches, then merges the results.",
  needsConnection: false,
  nodes: [
    {
      id: "start",
      type: "source",
      position: at(0, 1),
      data: {
        config: {
          inputSchema: {
            type: "object",
            properties: {
              emails: { type: "array", items: { type: "string" }, minItems: 1, description: "The email addresses to enrich." },
            },
            required: ["emails"],
          },
        },
      },
    },
    { id: "each", type: "loop", position: at(1, 1), data: { label: "For each email", config: { over: "{{ input.emails }}", maxIterations: 100 } } },
    { id: "fan_out", type: "parallel", position: at(2, 0), data: { label: "Fan out", config: { branches: ["person", "company"], merge: "all" } } },
    {
      id: "person",
      type: "function",
      position: at(3, 0),
      data: {
        label: "Person",
        config: {
          code: [
            "// Each iteration's input is { item, index }.",
            "const email = String(input.item).trim().toLowerCase();",
            'const local = email.split("@")[0] ?? "";',
            "const name = local",
            "  .split(/[._-]+/)",
            "  .filter(Boolean)",
            "  .map((part) => part[0].toUpperCase() + part.slice(1))",
            '  .join(" ");',
            "return { email, name };",
          ].join("\n"),
        },
      },
    },
    {
      id: "company",
      type: "function",
      position: at(3, 1),
      data: {
        label: "Company",
        config: {
          code: [
            "const email = String(input.item).trim().toLowerCase();",
            'const domain = email.split("@")[1] ?? "";',
            'const freeMail = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "proton.me"].includes(domain);',
            'return { domain, freeMail, company: freeMail ? null : domain.split(".")[0] };',
          ].join("\n"),
        },
      },
    },
    {
      id: "merge",
      type: "function",
      position: at(4, 0),
      data: {
        label: "Merge",
        config: { code: "// A block with several parents gets an object keyed by parent id.\nreturn { ...input.person, ...input.company };" },
      },
    },
    { id: "end", type: "sink", position: at(2, 2), data: { config: {} } },
  ],
  edges: [
    edge("start", "each"),
    edge("each", "fan_out", "body"),
    edge("fan_out", "person", "person"),
    edge("fan_out", "company", "company"),
    edge("person", "merge"),
    edge("company", "merge"),
    edge("each", "end"),
  ],
};

export const flowTemplates: readonly FlowTemplate[] = [summariseWebPage, routeSupportTickets, fanOutEnrichment];

export function findTemplate(id: string): FlowTemplate | undefined {
  return flowTemplates.find((t) => t.id === id);
}

/**
 * A copy of the template's graph for a new flow. With a connection, AI blocks use it (and a model its
 * provider knows, when the template's is not one); without, their `connectionId` is left out.
 */
export function instantiateTemplate(
  template: FlowTemplate,
  { connection }: { connection?: { id: string; provider: string } } = {},
): { nodes: FlowNodeInput[]; edges: FlowEdgeInput[] } {
  const nodes = structuredClone(template.nodes).map((node) => {
    const config = node.data.config as Record<string, unknown> | undefined;
    if (!config || config.connectionId !== TEMPLATE_CONNECTION_ID) return node;
    if (!connection) {
      delete config.connectionId;
      return node;
    }
    config.connectionId = connection.id;
    const models = suggestedModels(connection.provider);
    if (typeof config.model === "string" && models.length > 0 && !models.includes(config.model)) {
      config.model = defaultModels[connection.provider as keyof typeof defaultModels] ?? models[0];
    }
    return node;
  });
  return { nodes, edges: structuredClone(template.edges) };
}
