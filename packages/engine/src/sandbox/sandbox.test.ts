import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SandboxError,
  closeSandboxWorkers,
  createSandbox,
  sandboxPoolStats,
  type Sandbox,
  type SandboxErrorCode,
} from "./index";
import { MAX_STACK_BYTES, SandboxPool } from "./pool";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox();
});

afterAll(async () => {
  await closeSandboxWorkers();
});

/** Runs `promise`, expects a SandboxError, returns it. */
async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxError);
    return error as SandboxError;
  }
  throw new Error("expected the sandbox run to fail");
}

async function expectCode(promise: Promise<unknown>, code: SandboxErrorCode): Promise<SandboxError> {
  const error = await failure(promise);
  expect(error.code, error.message).toBe(code);
  expect(error.retryable).toBe(false);
  return error;
}

/** The host is healthy: a trivial run still works. */
async function expectHealthy(box: Sandbox = sandbox): Promise<void> {
  const result = await box.runFunction({ code: "return input + 1", input: 41 });
  expect(result.value).toBe(42);
}

const run = (code: string, input: unknown = null, extra: { ctx?: unknown; timeoutMs?: number; signal?: AbortSignal } = {}) =>
  sandbox.runFunction({ code, input, ...extra });

describe("createSandbox", () => {
  it("applies the documented defaults", () => {
    expect(sandbox.options).toEqual({
      memoryLimitBytes: 64 * 1024 * 1024,
      timeoutMs: 5000,
      maxOutputBytes: 1024 * 1024,
      maxLogLines: 200,
    });
  });

  it("rejects nonsensical options", async () => {
    await expect(createSandbox({ timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    await expect(createSandbox({ memoryLimitBytes: 10 })).rejects.toThrow(/memoryLimitBytes/);
  });
});

describe("runFunction: values", () => {
  it("returns primitives, objects and arrays as JSON", async () => {
    expect((await run("return 1 + 2")).value).toBe(3);
    expect((await run("return 'héllo ✓'")).value).toBe("héllo ✓");
    expect((await run("return null")).value).toBeNull();
    expect((await run("return true")).value).toBe(true);
    expect((await run("return { a: 1, b: [1, 'x', { c: null }] }")).value).toEqual({ a: 1, b: [1, "x", { c: null }] });
    expect((await run("return [1, 2, 3].map((x) => x * 2)")).value).toEqual([2, 4, 6]);
  });

  it("drops functions and undefined like JSON.stringify; a bare undefined becomes null", async () => {
    expect((await run("return { f() {}, u: undefined, keep: 1, d: new Date(0) }")).value).toEqual({
      keep: 1,
      d: "1970-01-01T00:00:00.000Z",
    });
    expect((await run("return [undefined, () => 1]")).value).toEqual([null, null]);
    expect((await run("const x = 1")).value).toBeNull();
  });

  it("has input and ctx in scope", async () => {
    const result = await run("return { sum: input.a + input.b, node: ctx.nodeId }", { a: 2, b: 3 }, { ctx: { nodeId: "n1" } });
    expect(result.value).toEqual({ sum: 5, node: "n1" });
    const bare = await sandbox.runFunction({ code: "return [typeof input, typeof ctx]", input: undefined });
    expect(bare.value).toEqual(["undefined", "undefined"]);
  });

  it("supports await", async () => {
    expect((await run("return await Promise.resolve(3)")).value).toBe(3);
    const chained = await run(`
      const wait = (v) => new Promise((resolve) => resolve(v));
      let total = 0;
      for (const v of [1, 2, 3]) total += await wait(v);
      return total + (await Promise.all([wait(10), wait(20)])).reduce((a, b) => a + b, 0);
    `);
    expect(chained.value).toBe(36);
    expect((await run("queueMicrotask(() => {}); return await new Promise((r) => queueMicrotask(() => r('ok')))")).value).toBe("ok");
  });

  it("passes input as a deep copy", async () => {
    const input = { list: [1, 2], nested: { x: 1 } };
    const result = await run("input.list.push(3); input.nested.x = 99; input.added = true; return input", input);
    expect(result.value).toEqual({ list: [1, 2, 3], nested: { x: 99 }, added: true });
    expect(input).toEqual({ list: [1, 2], nested: { x: 1 } });
  });

  it("reports the time spent", async () => {
    const result = await run("let s = 0; for (let i = 0; i < 1e5; i++) s += i; return s");
    expect(result.value).toBe(4999950000);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it("refuses input that is not JSON", async () => {
    await expectCode(run("return 1", { n: 1n }), "INVALID_INPUT");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expectCode(run("return 1", cyclic), "INVALID_INPUT");
  });
});

describe("runFunction: console", () => {
  it("captures console.log/info/warn/error with Node-like formatting", async () => {
    const result = await run(`
      console.log("text", 1, true, null, undefined, { a: [1, "b"] });
      console.info("info");
      console.warn("warn", 10n);
      console.error(new TypeError("bad"));
      const cyclic = { name: "c" }; cyclic.self = cyclic;
      console.log(cyclic, function named() {});
      return "done";
    `);
    expect(result.value).toBe("done");
    expect(result.logs.map((l) => l.level)).toEqual(["log", "info", "warn", "error", "log"]);
    expect(result.logs[0]!.message).toBe('text 1 true null undefined {"a":[1,"b"]}');
    expect(result.logs[1]!.message).toBe("info");
    expect(result.logs[2]!.message).toBe("warn 10n");
    expect(result.logs[3]!.message).toMatch(/^TypeError: bad/);
    expect(result.logs[4]!.message).toBe('{"name":"c","self":"[Circular]"} [Function: named]');
    for (const log of result.logs) {
      expect(log.at).toBeGreaterThanOrEqual(0);
      expect(log.at).toBeLessThan(5000);
    }
  });

  it("caps the number of lines and says how many were dropped", async () => {
    const small = await createSandbox({ maxLogLines: 5 });
    const result = await small.runFunction({ code: "for (let i = 0; i < 20; i++) console.log('line ' + i); return 1", input: null });
    expect(result.logs).toHaveLength(6);
    expect(result.logs[4]!.message).toBe("line 4");
    expect(result.logs[5]!.message).toBe("... 15 more lines dropped");
    const defaults = await run("for (let i = 0; i < 1000; i++) console.log(i); return 1");
    expect(defaults.logs).toHaveLength(201);
    expect(defaults.logs[200]!.message).toBe("... 800 more lines dropped");
  });

  it("keeps the logs of a failed run on the error", async () => {
    const error = await expectCode(run("console.log('before'); throw new Error('after')"), "USER_ERROR");
    expect(error.logs.map((l) => l.message)).toEqual(["before"]);
  });

  it("truncates very long lines", async () => {
    const result = await run("console.log('x'.repeat(50000)); return 1");
    expect(result.logs[0]!.message.length).toBeLessThan(11000);
    expect(result.logs[0]!.message).toMatch(/\.\.\. \[truncated\]$/);
  });
});

describe("runFunction: isolation", () => {
  it("gives every run a fresh context", async () => {
    expect((await run("globalThis.leaked = 42; Array.prototype.extra = 1; return typeof leaked")).value).toBe("number");
    expect((await run("return [typeof leaked, typeof [].extra]")).value).toEqual(["undefined", "undefined"]);
  });

  it("exposes no host objects", async () => {
    const result = await run(
      "return ['process','require','module','exports','Buffer','fetch','setTimeout','__dirname','globalThis'].map((n) => n + ':' + typeof globalThis[n])",
    );
    expect(result.value).toEqual([
      "process:undefined",
      "require:undefined",
      "module:undefined",
      "exports:undefined",
      "Buffer:undefined",
      // stubs that throw a clear message:
      "fetch:function",
      "setTimeout:function",
      "__dirname:undefined",
      "globalThis:object",
    ]);
  });

  it("this.constructor.constructor('return process')() fails inside the sandbox", async () => {
    const error = await expectCode(run("return this.constructor.constructor('return process')()"), "USER_ERROR");
    expect(error.message).toMatch(/^ReferenceError: '?process'? is not defined/);
  });

  it("Function('return globalThis.process')() finds nothing", async () => {
    expect((await run("return Function('return globalThis.process')()")).value).toBeNull();
    expect((await run("return typeof Function('return this')().process")).value).toBe("undefined");
    expect((await run("return globalThis.process")).value).toBeNull();
  });

  it("require('fs') fails", async () => {
    const error = await expectCode(run("const fs = require('fs'); return fs.readFileSync('/etc/passwd', 'utf8')"), "USER_ERROR");
    expect(error.message).toMatch(/^ReferenceError: '?require'? is not defined/);
  });

  it("import('fs') fails (no module loader)", async () => {
    const error = await expectCode(run("const fs = await import('fs'); return Object.keys(fs)"), "USER_ERROR");
    expect(error.message).toMatch(/could not load module 'fs'/);
    await expectCode(run("import fs from 'fs'; return 1"), "SYNTAX_ERROR");
  });

  it("prototype pollution stays inside", async () => {
    const result = await run(`
      Object.prototype.polluted = 1;
      Array.prototype.polluted = 2;
      Object.prototype.toString = () => "hacked";
      return JSON.parse('{"__proto__": {"polluted": 3}, "plain": {}}');
    `);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call({})).toBe("[object Object]");
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
    const value = result.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value.plain as Record<string, unknown>).polluted).toBeUndefined();
    expect((await run("return ({}).polluted")).value).toBeNull();
  });

  it("timers say they are not available", async () => {
    const error = await expectCode(run("setTimeout(() => {}, 10); return 1"), "USER_ERROR");
    expect(error.message).toContain("setTimeout is not available in function blocks");
    expect((await expectCode(run("return fetch('http://example.com')"), "USER_ERROR")).message).toContain(
      "fetch is not available in function blocks",
    );
    expect((await run("clearTimeout(undefined); return 1")).value).toBe(1);
  });

  it("a promise that can never settle is an error, not a hang", async () => {
    const error = await expectCode(run("await new Promise(() => {}); return 1"), "USER_ERROR");
    expect(error.message).toMatch(/never settles/);
  });
});

describe("runFunction: errors", () => {
  it("a user throw is USER_ERROR with the message and line", async () => {
    const error = await expectCode(run("const a = 1;\n\nthrow new Error('x')"), "USER_ERROR");
    expect(error.message).toBe("x (line 3)");
    expect(error.line).toBe(3);
    expect(error.name).toBe("SandboxError");
  });

  it("runtime errors keep their kind; thrown non-errors are shown", async () => {
    const typeError = await expectCode(run("const o = null;\nreturn o.x"), "USER_ERROR");
    expect(typeError.message).toMatch(/^TypeError: .*'x'.* \(line 2\)$/);
    expect(typeError.line).toBe(2);
    expect((await expectCode(run("throw 'plain string'"), "USER_ERROR")).message).toBe("plain string");
    expect((await expectCode(run("throw { reason: 'r' }"), "USER_ERROR")).message).toBe('{"reason":"r"}');
    expect((await expectCode(run("await Promise.reject(new RangeError('late'))"), "USER_ERROR")).message).toMatch(/^RangeError: late/);
    expect((await expectCode(run("JSON.parse('{')"), "USER_ERROR")).message).toMatch(/^SyntaxError: .*\(line 1\)$/);
  });

  it("a syntax error is SYNTAX_ERROR naming the line", async () => {
    const error = await expectCode(run("const a = 1;\nconst b = ;\nreturn a"), "SYNTAX_ERROR");
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^SyntaxError: .*\(line 2\)$/);
  });

  it("a syntax error at the end of the code points at the user's last line", async () => {
    const error = await expectCode(run("if (input) {\n  return 1\n"), "SYNTAX_ERROR");
    expect(error.line).toBe(3);
  });

  it("a non-serialisable result is NOT_SERIALIZABLE", async () => {
    await expectCode(run("return 10n"), "NOT_SERIALIZABLE");
    await expectCode(run("const o = {}; o.self = o; return o"), "NOT_SERIALIZABLE");
    await expectCode(run("return { toJSON() { throw new Error('no') } }"), "NOT_SERIALIZABLE");
    await expectHealthy();
  });

  it("a huge result is OUTPUT_TOO_LARGE", async () => {
    const error = await expectCode(run("return 'x'.repeat(2 * 1024 * 1024)"), "OUTPUT_TOO_LARGE");
    expect(error.message).toMatch(/1048576 bytes/);
    const small = await createSandbox({ maxOutputBytes: 100 });
    await expectCode(small.runFunction({ code: "return 'é'.repeat(60)", input: null }), "OUTPUT_TOO_LARGE");
    expect((await small.runFunction({ code: "return 'é'.repeat(40)", input: null })).value).toBe("é".repeat(40));
    await expectHealthy();
  });
});

describe("runFunction: limits", () => {
  it("while(true){} times out within the limit and the next run works", async () => {
    const started = performance.now();
    const error = await expectCode(run("while (true) {}", null, { timeoutMs: 400 }), "TIMEOUT");
    const elapsed = performance.now() - started;
    expect(error.message).toBe("Function timed out after 400 ms");
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(400 + 600);
    await expectHealthy();
  });

  it("times out an endless await loop too", async () => {
    await expectCode(run("for (;;) await null", null, { timeoutMs: 300 }), "TIMEOUT");
    // An ever-growing async chain also makes QuickJS leak when the runtime is freed: the worker
    // is replaced, the host carries on.
    await expectCode(run("async function f() { await null; return f() } await f()", null, { timeoutMs: 300 }), "TIMEOUT");
    await expectHealthy();
  });

  it("a worker stuck in native code (no interrupt polling) is killed at timeout + grace", async () => {
    // QuickJS's JSON.stringify cycle check is quadratic in depth and never polls the interrupt
    // handler, so only the host-side safety net can stop this.
    const before = sandboxPoolStats()?.killed ?? 0;
    // 1 s, so that building the array (interruptible) ends well before the limit on a busy machine:
    // the limit must strike inside JSON.stringify.
    const error = await expectCode(
      run("let a = []; for (let i = 0; i < 1e5; i++) a = [a]; return JSON.stringify(a).length", null, { timeoutMs: 1000 }),
      "TIMEOUT",
    );
    expect(error.message).toBe("Function timed out after 1000 ms");
    // Stopped by killing its worker (the in-sandbox interrupt never fires here).
    expect(sandboxPoolStats()?.killed).toBe(before + 1);
    await expectHealthy();
  });

  it("does not block the host's event loop while user code spins", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      await expectCode(run("while (true) {}", null, { timeoutMs: 500 }), "TIMEOUT");
    } finally {
      clearInterval(timer);
    }
    // A blocked event loop would not tick at all while the 500 ms spin lasts.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it("the memory limit stops an allocation loop with MEMORY_LIMIT and the next run works", async () => {
    const recycledBefore = sandboxPoolStats()?.recycled ?? 0;
    const error = await expectCode(run("const a = []; while (true) a.push(new Array(1e6).fill(1))"), "MEMORY_LIMIT");
    expect(error.message).toMatch(/memory limit of 67108864 bytes/);
    // WebAssembly memory never shrinks: the worker that grew to the limit is replaced.
    expect(sandboxPoolStats()?.recycled).toBeGreaterThan(recycledBefore);
    await expectHealthy();
    // Many small objects: QuickJS may not even manage to allocate its "out of memory" error.
    await expectCode(run("const a = []; for (;;) a.push({ n: a.length })"), "MEMORY_LIMIT");
    await expectCode(run("let s = 'x'.repeat(1e6); const parts = []; for (;;) parts.push(s + parts.length)"), "MEMORY_LIMIT");
    await expectHealthy();
  });

  it("honours a smaller memory limit", async () => {
    const small = await createSandbox({ memoryLimitBytes: 16 * 1024 * 1024 });
    // 3 arrays of 1e6 elements take ~24 MB.
    const code = "const a = []; for (let i = 0; i < 3; i++) a.push(new Array(1e6).fill(i)); return a.length";
    await expectCode(small.runFunction({ code, input: null }), "MEMORY_LIMIT");
    expect((await run(code)).value).toBe(3);
    expect((await small.runFunction({ code: "return input.length", input: "x".repeat(1000) })).value).toBe(1000);
    await expectCode(small.runFunction({ code: "return 1", input: "x".repeat(9 * 1024 * 1024) }), "MEMORY_LIMIT");
    await expectHealthy(small);
    await expectHealthy();
  });

  it("deep recursion is a clean STACK_OVERFLOW and the next run works", async () => {
    const error = await expectCode(run("function f(n) { return f(n + 1) + 1 }\nreturn f(0)"), "STACK_OVERFLOW");
    expect(error.message).toMatch(/call stack/);
    await expectCode(run("const o = { get x() { return this.x } }; return o.x"), "STACK_OVERFLOW");
    // Deeply nested source stresses the parser, whose frames use the most native stack.
    await expectCode(run("return eval('('.repeat(1e5) + '1' + ')'.repeat(1e5))"), "STACK_OVERFLOW");
    await expectCode(run("return eval('['.repeat(1e5) + ']'.repeat(1e5))"), "STACK_OVERFLOW");
    await expectCode(run("return JSON.parse('['.repeat(1e5) + ']'.repeat(1e5))"), "STACK_OVERFLOW");
    await expectHealthy();
  });

  it("allows ordinary recursion depth", async () => {
    expect(MAX_STACK_BYTES).toBeGreaterThanOrEqual(256 * 1024);
    expect((await run("function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1) } return depth(1000)")).value).toBe(1000);
  });

  it("an AbortSignal stops a running loop within ~100 ms and the next run works", async () => {
    const controller = new AbortController();
    const pending = run("while (true) {}", null, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const abortedAt = performance.now();
    controller.abort();
    const error = await expectCode(pending, "ABORTED");
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect(error.message).toBe("Function was aborted");
    await expectHealthy();
  });

  it("an already-aborted signal never starts the run", async () => {
    await expectCode(run("return 1", null, { signal: AbortSignal.abort() }), "ABORTED");
  });

  it("runs concurrently", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => run("return input * 2", i)));
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
  });

  it("a runaway run does not hold up the others (up to the pool size)", async () => {
    const slow = run("while (true) {}", null, { timeoutMs: 1500 });
    const started = performance.now();
    expect((await run("return 'fast'")).value).toBe("fast");
    expect(performance.now() - started).toBeLessThan(1000);
    await expectCode(slow, "TIMEOUT");
  });
});

describe("evaluate", () => {
  it("evaluates an expression over the scope (router `when`, loop `while`)", async () => {
    expect(await sandbox.evaluate({ expression: "input.score > 0.5 && input.tags.includes('vip')", scope: { input: { score: 0.9, tags: ["vip"] } } })).toBe(true);
    expect(await sandbox.evaluate({ expression: "iteration < 3", scope: { input: {}, iteration: 5 } })).toBe(false);
    expect(await sandbox.evaluate({ expression: "({ n: input.n * 2 })", scope: { input: { n: 4 } } })).toEqual({ n: 8 });
    expect(await sandbox.evaluate({ expression: "typeof missing", scope: {} })).toBe("undefined");
    expect(await sandbox.evaluate({ expression: "await Promise.resolve(input)", scope: { input: 7 } })).toBe(7);
  });

  it("reports errors with the expression's line", async () => {
    const syntax = await expectCode(sandbox.evaluate({ expression: "input.a >", scope: { input: {} } }), "SYNTAX_ERROR");
    expect(syntax.line).toBe(1);
    const thrown = await expectCode(sandbox.evaluate({ expression: "input.a.b", scope: { input: {} } }), "USER_ERROR");
    expect(thrown.line).toBe(1);
    const timeout = await expectCode(sandbox.evaluate({ expression: "(() => { while (true) {} })()", scope: {}, timeoutMs: 200 }), "TIMEOUT");
    expect(timeout.message).toBe("Expression timed out after 200 ms");
    await expectCode(sandbox.evaluate({ expression: "process.exit(1)", scope: {} }), "USER_ERROR");
  });

  it("refuses scope names that are not identifiers", async () => {
    await expectCode(sandbox.evaluate({ expression: "1", scope: { "a-b": 1 } }), "INVALID_INPUT");
    await expectCode(sandbox.evaluate({ expression: "1", scope: { class: 1 } }), "INVALID_INPUT");
    await expectCode(sandbox.evaluate({ expression: "1", scope: { "x) { return process }; (function (": 1 } }), "INVALID_INPUT");
  });
});

describe("resource hygiene", () => {
  it("a leaked QuickJS handle is detected when the runtime is freed, and the worker is replaced", async () => {
    const pool = new SandboxPool(1);
    const job = {
      source: "(async function (input, ctx) {return 1\n})",
      filename: "function.js",
      argsJson: [null, null],
      label: "Function",
      timeoutMs: 2000,
      memoryLimitBytes: 64 * 1024 * 1024,
      maxStackBytes: MAX_STACK_BYTES,
      maxOutputBytes: 1024,
      maxLogLines: 10,
      maxLogMessageChars: 100,
    };
    try {
      const leaked = await pool.run({ ...job, debugLeakHandle: true }, undefined);
      expect(leaked.ok).toBe(false);
      expect(leaked.ok ? "" : leaked.error.code).toBe("INTERNAL");
      expect(leaked.ok ? "" : leaked.error.message).toMatch(/freeing QuickJS/);
      expect(leaked.recycle).toBe(true);
      const next = await pool.run(job, undefined);
      expect(next.ok && next.valueJson).toBe("1");
      expect(pool.stats().recycled).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("200 sequential runs do not grow the host's memory unboundedly", async () => {
    const code = "const rows = input.rows.map((r) => ({ ...r, total: r.a * r.b })); console.log(rows.length); return rows";
    const input = { rows: Array.from({ length: 20 }, (_, i) => ({ a: i, b: 2 })) };
    for (let i = 0; i < 20; i++) await sandbox.runFunction({ code, input });
    const before = process.memoryUsage();
    const started = performance.now();
    const runs = 200;
    for (let i = 0; i < runs; i++) {
      const result = await sandbox.runFunction({ code, input, ctx: { i } });
      expect((result.value as unknown[]).length).toBe(20);
    }
    const perRun = (performance.now() - started) / runs;
    const after = process.memoryUsage();
    const rssMb = (after.rss - before.rss) / 1024 / 1024;
    const heapMb = (after.heapUsed - before.heapUsed) / 1024 / 1024;
    console.log(
      `sandbox: ${runs} sequential runFunction calls, ${perRun.toFixed(3)} ms per run (fresh QuickJS runtime+context each, incl. worker round trip); rss ${rssMb.toFixed(1)} MB, heapUsed ${heapMb.toFixed(1)} MB delta`,
    );
    const evalStarted = performance.now();
    for (let i = 0; i < runs; i++) await sandbox.evaluate({ expression: "input.n > 3", scope: { input: { n: i } } });
    console.log(`sandbox: ${runs} sequential evaluate calls, ${((performance.now() - evalStarted) / runs).toFixed(3)} ms per call`);
    expect(rssMb).toBeLessThan(64);
    expect(heapMb).toBeLessThan(32);
    const stats = sandboxPoolStats();
    expect(stats?.busy).toBe(0);
    expect(stats?.queued).toBe(0);
  });
});
