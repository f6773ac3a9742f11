// A small, safe template language: `{{ root.path[0].to.value }}`, no operators, no calls, no
// eval. Roots: `input`, `nodes`, `trigger`, `env`. Only own data properties of plain objects and
// indexes (plus `length`) of arrays are readable, so `__proto__`, `constructor` and getters are
// never reached. A missing path is an error naming the segment, never a silent `undefined`.
//
//   "{{ input.user }}"          -> the raw value (object, number, ...) when the string is exactly
//                                  one placeholder (no surrounding text, not even spaces)
//   "Hi {{ input.user.name }}"  -> interpolation: strings as is, anything else as JSON
//   "\{{ literal }}"            -> "{{ literal }}" (a backslash before "{{" escapes it)
//
// Path syntax after the root: `.name` (letters, digits, `_`, `$`, `-`), `[0]`, `["any key"]`.
import { isPlainObject } from "./schema";

export const templateRoots = ["input", "nodes", "trigger", "env"] as const;
export type TemplateRoot = (typeof templateRoots)[number];

export interface Scope {
  /** The node's input. */
  input?: unknown;
  /** Outputs of nodes that have run, by node id. */
  nodes?: Record<string, { output: unknown }>;
  /** The trigger of the run (webhook request, schedule, manual input). */
  trigger?: unknown;
  /** Workspace variables. */
  env?: Record<string, string>;
}

export type TemplateSegment = string | number;

export interface TemplateExpression {
  root: TemplateRoot;
  path: TemplateSegment[];
  /** The placeholder, normalized: `{{ input.user.email }}`. */
  source: string;
}

export type TemplatePart = { kind: "text"; text: string } | { kind: "expr"; expr: TemplateExpression };

export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(
    message: string,
    /** The whole template string. */
    readonly template: string,
    /** The placeholder that failed (`{{ input.user.email }}`), when known. */
    readonly expression?: string,
    /** The path segment that was missing, when the error is a missing path. */
    readonly segment?: string,
  ) {
    super(message);
  }
}

const ROOT_SET: ReadonlySet<string> = new Set(templateRoots);
const DOT_SEGMENT = /[A-Za-z0-9_$-]/;
const ROOT_START = /[A-Za-z_$]/;
const ROOT_CHAR = /[A-Za-z0-9_$]/;
const WS = /\s/;

function formatSegment(seg: TemplateSegment): string {
  if (typeof seg === "number") return `[${seg}]`;
  return /^[A-Za-z0-9_$-]+$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
}

function formatExpression(root: string, path: readonly TemplateSegment[]): string {
  return `{{ ${root}${path.map(formatSegment).join("")} }}`;
}

/** Splits a template into text and placeholders. Throws TemplateError on a syntax error. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  const n = template.length;

  const fail = (message: string, at: number): never => {
    const excerpt = template.slice(Math.max(0, at - 20), at + 20);
    throw new TemplateError(`${message} at character ${at + 1} (near "${excerpt}")`, template);
  };

  while (i < n) {
    if (template.startsWith("\\{{", i)) {
      text += "{{";
      i += 3;
      continue;
    }
    if (!template.startsWith("{{", i)) {
      text += template[i];
      i += 1;
      continue;
    }
    const open = i;
    i += 2;
    const skipWs = () => {
      while (i < n && WS.test(template[i] ?? "")) i += 1;
    };
    skipWs();
    // root
    const rootStart = i;
    if (!ROOT_START.test(template[i] ?? "")) fail('expected a name after "{{"', i);
    while (i < n && ROOT_CHAR.test(template[i] ?? "")) i += 1;
    const root = template.slice(rootStart, i);
    if (!ROOT_SET.has(root)) {
      fail(`unknown name "${root}" (use ${templateRoots.join(", ")})`, rootStart);
    }
    const path: TemplateSegment[] = [];
    for (;;) {
      const c = template[i];
      if (c === ".") {
        i += 1;
        const segStart = i;
        while (i < n && DOT_SEGMENT.test(template[i] ?? "")) i += 1;
        if (i === segStart) fail('expected a field name after "."', i);
        path.push(template.slice(segStart, i));
      } else if (c === "[") {
        i += 1;
        skipWs();
        const q = template[i];
        if (q === '"' || q === "'") {
          i += 1;
          let key = "";
          for (;;) {
            if (i >= n) fail("unclosed string", i);
            const ch = template[i] ?? "";
            if (ch === "\\") {
              key += template[i + 1] ?? "";
              i += 2;
            } else if (ch === q) {
              i += 1;
              break;
            } else {
              key += ch;
              i += 1;
            }
          }
          path.push(key);
        } else {
          const numStart = i;
          while (i < n && /[0-9]/.test(template[i] ?? "")) i += 1;
          if (i === numStart) fail('expected an index like [0] or a key like ["name"]', i);
          const index = Number(template.slice(numStart, i));
          if (!Number.isSafeInteger(index)) fail("index too large", numStart);
          path.push(index);
        }
        skipWs();
        if (template[i] !== "]") fail('expected "]"', i);
        i += 1;
      } else {
        break;
      }
    }
    skipWs();
    if (!template.startsWith("}}", i)) {
      if (i >= n) fail('unclosed "{{"', open);
      fail('expected "}}"', i);
    }
    i += 2;
    if (text) parts.push({ kind: "text", text });
    text = "";
    parts.push({ kind: "expr", expr: { root: root as TemplateRoot, path, source: formatExpression(root, path) } });
  }
  if (text) parts.push({ kind: "text", text });
  return parts;
}

/** True when the string contains at least one placeholder (cheap pre-check before parsing). */
export function hasTemplate(value: string): boolean {
  return value.includes("{{");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "not a plain object";
  return `a ${typeof value}`;
}

/** Own data property, or undefined. Never walks the prototype chain, never calls a getter. */
function ownValue(container: object, key: string): { found: true; value: unknown } | { found: false } {
  if (key === "__proto__") return { found: false };
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  if (!descriptor || !("value" in descriptor) || descriptor.value === undefined) return { found: false };
  return { found: true, value: descriptor.value };
}

/** Resolves one placeholder against a scope. Throws TemplateError when the path is missing. */
export function evaluateExpression(expr: TemplateExpression, scope: Scope, template = expr.source): unknown {
  const missing = (message: string, segment: string): never => {
    throw new TemplateError(`${expr.source}: ${message}`, template, expr.source, segment);
  };

  const rootValue = ownValue(scope, expr.root);
  if (!rootValue.found) missing(`"${expr.root}" is not available here`, expr.root);
  let current = rootValue.found ? rootValue.value : undefined;
  let name: string = expr.root;

  for (const [i, seg] of expr.path.entries()) {
    const key = String(seg);
    if (Array.isArray(current)) {
      const index = typeof seg === "number" ? seg : /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : undefined;
      if (index !== undefined) {
        if (index >= current.length) {
          missing(`"${name}" has no index ${index} (its length is ${current.length})`, key);
        }
        const entry = ownValue(current, String(index));
        if (!entry.found) missing(`"${name}" has no index ${index}`, key);
        current = entry.found ? entry.value : undefined;
        name = `${name}[${index}]`;
        continue;
      }
      if (seg === "length") {
        current = current.length;
        name = "length";
        continue;
      }
      missing(`"${name}" is an array and has no field "${key}" (use an index like [0])`, key);
    } else if (isPlainObject(current)) {
      const entry = ownValue(current, key);
      if (!entry.found) {
        if (expr.root === "nodes" && i === 0) {
          missing(`no output from node "${key}" (it does not exist or has not run before this node)`, key);
        }
        missing(`"${name}" has no field "${key}"`, key);
      }
      current = entry.found ? entry.value : undefined;
      name = key;
    } else {
      missing(`"${name}" is ${describe(current)}, so it has no field "${key}"`, key);
    }
  }
  return current;
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}

/**
 * Renders a template. A string that is exactly one placeholder returns the raw value; otherwise
 * placeholders are interpolated (strings as is, other values as JSON). A string without
 * placeholders is returned unchanged.
 */
export function renderTemplate(template: string, scope: Scope): unknown {
  if (!hasTemplate(template)) return template;
  const parts = parseTemplate(template);
  const only = parts[0];
  if (parts.length === 1 && only?.kind === "expr") return evaluateExpression(only.expr, scope, template);
  let out = "";
  for (const part of parts) {
    out += part.kind === "text" ? part.text : stringify(evaluateExpression(part.expr, scope, template));
  }
  return out;
}

/** Renders every string inside a JSON value (object keys are not rendered). */
export function renderDeep(value: unknown, scope: Scope): unknown {
  if (typeof value === "string") return renderTemplate(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, scope));
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, scope)]));
  }
  return value;
}

/** Every template string inside a JSON value, with its path (for validation). */
export function collectTemplates(
  value: unknown,
  path: TemplateSegment[] = [],
): { path: TemplateSegment[]; template: string }[] {
  if (typeof value === "string") return hasTemplate(value) ? [{ path, template: value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => collectTemplates(item, [...path, i]));
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => collectTemplates(item, [...path, key]));
  }
  return [];
}

/** The placeholders of a template. Throws TemplateError on a syntax error. */
export function templateExpressions(template: string): TemplateExpression[] {
  if (!hasTemplate(template)) return [];
  return parseTemplate(template).flatMap((part) => (part.kind === "expr" ? [part.expr] : []));
}

/**
 * Node ids referenced as `{{ nodes.<id>... }}`, unique, in order of appearance.
 * Throws TemplateError on a syntax error.
 */
export function extractReferences(template: string): string[] {
  const ids = new Set<string>();
  for (const expr of templateExpressions(template)) {
    const first = expr.path[0];
    if (expr.root === "nodes" && first !== undefined) ids.add(String(first));
  }
  return [...ids];
}
