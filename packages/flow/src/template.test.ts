import { describe, expect, it } from "vitest";
import { type Scope, TemplateError, extractReferences, parseTemplate, renderDeep, renderTemplate } from "./template";

const scope: Scope = {
  input: {
    user: { name: "Ada", age: 36, tags: ["a", "b"], nothing: null },
    items: [{ name: "first" }, { name: "second" }],
    "first name": "Ada",
    zero: 0,
    flag: false,
  },
  nodes: {
    "fetch-1": { output: { status: 200, body: { ok: true } } },
    classify: { output: "urgent" },
  },
  trigger: { body: { x: 42 }, headers: { "content-type": "application/json" } },
  env: { API_BASE: "https://api.example.com" },
};

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error("expected a TemplateError");
}

describe("renderTemplate", () => {
  it.each([
    ["{{ input.user }}", (scope.input as { user: unknown }).user],
    ["{{ input.user.age }}", 36],
    ["{{input.user.age}}", 36],
    ["{{ input.zero }}", 0],
    ["{{ input.flag }}", false],
    ["{{ input.user.nothing }}", null],
    ["{{ input.user.tags }}", ["a", "b"]],
    ["{{ input.items[0].name }}", "first"],
    ["{{ input.items.1.name }}", "second"],
    ["{{ input.items[ 1 ][\"name\"] }}", "second"],
    ["{{ input.items.length }}", 2],
    ['{{ input["first name"] }}', "Ada"],
    ["{{ input['first name'] }}", "Ada"],
    ["{{ nodes.fetch-1.output.status }}", 200],
    ["{{ nodes.classify.output }}", "urgent"],
    ["{{ trigger.body.x }}", 42],
    ['{{ trigger.headers["content-type"] }}', "application/json"],
    ["{{ env.API_BASE }}", "https://api.example.com"],
  ])("%s returns the raw value", (template, expected) => {
    expect(renderTemplate(template, scope)).toEqual(expected);
  });

  it("returns the very value for a single placeholder (no copy, no stringification)", () => {
    const input = { list: [1, 2, 3] };
    expect(renderTemplate("{{ input.list }}", { input })).toBe(input.list);
  });

  it.each([
    ["Hello {{ input.user.name }}!", "Hello Ada!"],
    ["{{ input.user.name }} is {{ input.user.age }}", "Ada is 36"],
    ["user: {{ input.user.tags }}", 'user: ["a","b"]'],
    ["{{ input.items[0] }} ", '{"name":"first"} '],
    [" {{ input.user.age }}", " 36"],
    ["null: {{ input.user.nothing }}, bool: {{ input.flag }}", "null: null, bool: false"],
    ["{{ env.API_BASE }}/users/{{ nodes.fetch-1.output.status }}", "https://api.example.com/users/200"],
    ["no placeholders", "no placeholders"],
    ["", ""],
    ["a } b {", "a } b {"],
    ["\\{{ input.user }} stays", "{{ input.user }} stays"],
    ['{{ input["a}}b"] }}x', "x"],
  ])("%j interpolates to %j", (template, expected) => {
    const withOddKey = { ...scope, input: { ...(scope.input as object), "a}}b": "" } };
    expect(renderTemplate(template, withOddKey)).toBe(expected);
  });

  it("names the template and the missing segment", () => {
    const error = errorOf(() => renderTemplate("Mail {{ input.user.email }} now", scope));
    expect(error.message).toBe('{{ input.user.email }}: "user" has no field "email"');
    expect(error.expression).toBe("{{ input.user.email }}");
    expect(error.segment).toBe("email");
    expect(error.template).toBe("Mail {{ input.user.email }} now");
  });

  it.each([
    ["{{ input.items[5].name }}", '{{ input.items[5].name }}: "items" has no index 5 (its length is 2)'],
    ["{{ input.items[0].title }}", '{{ input.items[0].title }}: "items[0]" has no field "title"'],
    ["{{ input.items.first }}", '{{ input.items.first }}: "items" is an array and has no field "first" (use an index like [0])'],
    ["{{ input.user.name.first }}", '{{ input.user.name.first }}: "name" is a string, so it has no field "first"'],
    ["{{ input.user.nothing.x }}", '{{ input.user.nothing.x }}: "nothing" is null, so it has no field "x"'],
    [
      "{{ nodes.ghost.output }}",
      '{{ nodes.ghost.output }}: no output from node "ghost" (it does not exist or has not run before this node)',
    ],
    ["{{ env.MISSING }}", '{{ env.MISSING }}: "env" has no field "MISSING"'],
    ["{{input.user.email}}", '{{ input.user.email }}: "user" has no field "email"'],
  ])("%s throws %j", (template, message) => {
    expect(errorOf(() => renderTemplate(template, scope)).message).toBe(message);
  });

  it("says when a root is not available at all", () => {
    expect(errorOf(() => renderTemplate("{{ trigger.body }}", { input: 1 })).message).toBe(
      '{{ trigger.body }}: "trigger" is not available here',
    );
  });

  describe("never reaches prototypes or getters", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "plain": {}}') as unknown;
    it.each([
      "{{ input.__proto__ }}",
      "{{ input.constructor }}",
      "{{ input.constructor.name }}",
      "{{ input.user.constructor }}",
      "{{ input.user.toString }}",
      "{{ input.user.hasOwnProperty }}",
      '{{ input["__proto__"] }}',
      "{{ input.items.constructor }}",
      "{{ input.items.map }}",
      "{{ env.constructor }}",
      "{{ nodes.constructor }}",
      "{{ nodes.__proto__ }}",
    ])("%s is missing", (template) => {
      expect(() => renderTemplate(template, scope)).toThrow(TemplateError);
    });

    it("ignores an own __proto__ key coming from JSON", () => {
      expect(() => renderTemplate("{{ input.__proto__.polluted }}", { input: parsed })).toThrow(TemplateError);
      expect(renderTemplate("{{ input.plain }}", { input: parsed })).toEqual({});
    });

    it("does not call getters", () => {
      let called = false;
      const input = {
        get secret() {
          called = true;
          return "x";
        },
      };
      expect(() => renderTemplate("{{ input.secret }}", { input })).toThrow(TemplateError);
      expect(called).toBe(false);
    });

    it("does not walk into class instances", () => {
      expect(() => renderTemplate("{{ input.when.getTime }}", { input: { when: new Date(0) } })).toThrow(
        TemplateError,
      );
    });
  });

  it.each([
    ["{{ foo.bar }}", 'unknown name "foo"'],
    ["{{ input.a", 'unclosed "{{"'],
    ["{{ }}", 'expected a name after "{{"'],
    ["{{ input. }}", 'expected a field name after "."'],
    ["{{ input[x] }}", "expected an index like [0]"],
    ["{{ input.a b }}", 'expected "}}"'],
    ["{{ input['a }}", "unclosed string"],
    ["{{ input.a + 1 }}", 'expected "}}"'],
    ["{{ process.env.X }}", 'unknown name "process"'],
  ])("%s is a syntax error (%s)", (template, fragment) => {
    expect(() => parseTemplate(template)).toThrow(TemplateError);
    expect(errorOf(() => renderTemplate(template, scope)).message).toContain(fragment);
  });
});

describe("renderDeep", () => {
  it("renders every string inside a JSON value and leaves the rest alone", () => {
    const value = {
      url: "{{ env.API_BASE }}/v1",
      body: { user: "{{ input.user }}", age: "{{ input.user.age }}", list: ["{{ input.items[1].name }}", 3, null] },
      untouched: 7,
      flag: true,
      "{{ input.user.name }}": "keys are not rendered",
    };
    expect(renderDeep(value, scope)).toEqual({
      url: "https://api.example.com/v1",
      body: {
        user: (scope.input as { user: unknown }).user,
        age: 36,
        list: ["second", 3, null],
      },
      untouched: 7,
      flag: true,
      "{{ input.user.name }}": "keys are not rendered",
    });
  });

  it("keeps a __proto__ key as a plain key", () => {
    const value = JSON.parse('{"__proto__": "{{ input.user.name }}"}') as unknown;
    const out = renderDeep(value, scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe("Ada");
  });

  it("throws on a missing path anywhere inside", () => {
    expect(() => renderDeep({ a: ["{{ input.nope }}"] }, scope)).toThrow('"input" has no field "nope"');
  });
});

describe("extractReferences", () => {
  it.each([
    ["{{ nodes.a.output }} and {{ nodes.b.output.x }} and {{ nodes.a.output.y }}", ["a", "b"]],
    ['{{ nodes["with-dash"].output }}', ["with-dash"]],
    ["{{ nodes.fetch-1.output }}", ["fetch-1"]],
    ["{{ input.nodes.a }} {{ trigger.body }} {{ env.nodes }}", []],
    ["{{ nodes }}", []],
    ["plain text", []],
    ["\\{{ nodes.a.output }}", []],
  ])("%s -> %j", (template, ids) => {
    expect(extractReferences(template)).toEqual(ids);
  });

  it("throws on a syntax error", () => {
    expect(() => extractReferences("{{ nodes.a.output")).toThrow(TemplateError);
  });
});
