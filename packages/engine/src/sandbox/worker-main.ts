// The body of a sandbox worker thread.
//
// `sandboxWorkerMain` is NOT called in this module: pool.ts sends its source text
// (`sandboxWorkerMain.toString()`) to `new Worker(source, { eval: true })`, so no separate worker
// file has to be located at run time (tsx, vitest and Next's bundler all move files around).
// Therefore this function must be SELF-CONTAINED: it may not use anything from module scope
// (no imports at run time, no module constants, no helpers defined outside it); `import type`
// is fine because types are erased. `nodeRequire` is the worker's CommonJS `require`.
//
// Per job: a NEW QuickJS runtime + context (see README.md for the measurement behind this choice),
// memory limit, max stack size and an interrupt handler (deadline + the host's abort flag), then
// everything is disposed — on every path. Freeing a runtime with a leaked handle makes QuickJS
// abort (assert in JS_FreeRuntime); that is caught, reported, and the worker is recycled.
import type { MessagePort } from "node:worker_threads";
import type * as QuickJSLib from "quickjs-emscripten";
import type { SandboxLog, SandboxLogLevel } from "./errors";
import type { JobFailure, JobReply, JobRequest, WorkerBoot, WorkerMessage } from "./protocol";

type QuickJSModule = QuickJSLib.QuickJSWASMModule;
type QuickJSHandle = QuickJSLib.QuickJSHandle;
type QuickJSContext = QuickJSLib.QuickJSContext;
type QuickJSRuntime = QuickJSLib.QuickJSRuntime;
type QuickJSResult = ReturnType<QuickJSContext["evalCode"]>;

interface Disposable {
  readonly alive: boolean;
  dispose(): void;
}

type Outcome = { ok: true; valueJson: string } | { ok: false; error: JobFailure };

export function sandboxWorkerMain(nodeRequire: NodeJS.Require, boot: WorkerBoot, port: MessagePort): void {
  const LEVELS: SandboxLogLevel[] = ["log", "info", "warn", "error", "debug"];

  const post = (message: WorkerMessage): void => port.postMessage(message);

  let lib: typeof QuickJSLib;
  try {
    const resolved = nodeRequire.resolve("quickjs-emscripten", { paths: boot.resolvePaths });
    lib = nodeRequire(resolved) as typeof QuickJSLib;
  } catch (error) {
    post({ type: "fatal", message: `cannot load quickjs-emscripten: ${String(error)}` });
    return;
  }

  // One WebAssembly module per worker thread, loaded once and reused by every job, on a linear
  // memory WE create with a maximum: that maximum is what actually bounds a job's memory, because
  // this QuickJS build (2025-09-13 on emscripten, no malloc_usable_size) counts only 8 bytes per
  // allocation against runtime.setMemoryLimit. When growing the memory fails, malloc returns NULL
  // and QuickJS throws "out of memory" — or, if it cannot even allocate that error, `null`; the
  // `growFailed` flag tells those two apart from a user's `throw null`.
  const PAGE = 65536;
  const memory = new WebAssembly.Memory({ initial: 256, maximum: Math.ceil(boot.wasmMemoryMaxBytes / PAGE) });
  let growFailed = false;
  const grow = memory.grow.bind(memory);
  memory.grow = (delta: number): number => {
    try {
      return grow(delta);
    } catch (error) {
      growFailed = true;
      throw error;
    }
  };
  const modulePromise: Promise<QuickJSModule> = lib.newQuickJSWASMModuleFromVariant(
    lib.newVariant(lib.RELEASE_SYNC, { wasmMemory: memory }),
  );

  modulePromise.then(
    (quickjs) => {
      port.on("message", (message: JobRequest) => {
        if (message.type !== "job") return;
        post(runJob(quickjs, message));
      });
      post({ type: "ready" });
    },
    (error: unknown) => post({ type: "fatal", message: `cannot instantiate QuickJS: ${String(error)}` }),
  );

  function lineIn(stack: string, filename: string): number | undefined {
    const marker = `${filename}:`;
    let from = 0;
    for (;;) {
      const at = stack.indexOf(marker, from);
      if (at < 0) return undefined;
      const before = at === 0 ? "" : stack.charAt(at - 1);
      from = at + marker.length;
      if (before !== "" && before !== "(" && before !== " ") continue;
      const match = /^(\d+)/.exec(stack.slice(from));
      if (match?.[1]) return Number(match[1]);
    }
  }

  function runJob(quickjs: QuickJSModule, job: JobRequest): JobReply {
    const start = performance.now();
    growFailed = false;
    const deadline = start + job.timeoutMs;
    const logs: SandboxLog[] = [];
    let droppedLogs = 0;
    let stopReason: "timeout" | "abort" | undefined;
    let recycle = false;
    const owned: Disposable[] = [];
    const own = <T extends Disposable>(handle: T): T => {
      owned.push(handle);
      return handle;
    };

    let runtime: QuickJSRuntime | undefined;
    let vm: QuickJSContext | undefined;
    let outcome: Outcome;
    let hostFailure = false;

    const stopped = (): JobFailure =>
      stopReason === "abort"
        ? { code: "ABORTED", message: `${job.label} was aborted` }
        : { code: "TIMEOUT", message: `${job.label} timed out after ${job.timeoutMs} ms` };

    try {
      runtime = quickjs.newRuntime();
      runtime.setMemoryLimit(job.memoryLimitBytes);
      runtime.setMaxStackSize(job.maxStackBytes);
      runtime.setInterruptHandler(() => {
        if (stopReason) return true;
        if (Atomics.load(boot.abortFlag, 0) === job.id) {
          stopReason = "abort";
          return true;
        }
        if (performance.now() > deadline) {
          stopReason = "timeout";
          return true;
        }
        return false;
      });
      // No module loader is ever set on the runtime, so `import()` rejects inside the guest.
      vm = runtime.newContext();
      outcome = execute(runtime, vm);
    } catch (error) {
      // A host-side failure: QuickJS aborted, the native stack overflowed inside WebAssembly, a
      // handle was misused... The module's state is suspect from here on (e.g. its stack pointer
      // was not unwound): do not call into it again; the host replaces this worker.
      hostFailure = true;
      recycle = true;
      if (stopReason) outcome = { ok: false, error: stopped() };
      else if (error instanceof RangeError && /call stack/i.test(error.message))
        outcome = { ok: false, error: { code: "STACK_OVERFLOW", message: "Maximum call stack size exceeded" } };
      else outcome = { ok: false, error: { code: "INTERNAL", message: `sandbox failure: ${String(error)}` } };
    }
    if (!hostFailure) {
      for (let i = owned.length - 1; i >= 0; i--) {
        const handle = owned[i];
        try {
          if (handle?.alive) handle.dispose();
        } catch {
          recycle = true;
        }
      }
    }
    let leak: unknown;
    if (!hostFailure) {
      if (job.debugLeakHandle && vm) vm.newObject();
      try {
        vm?.dispose();
        runtime?.dispose();
      } catch (error) {
        // QuickJS asserts in JS_FreeRuntime when objects are still referenced (a leaked handle,
        // or a QuickJS bug some async patterns trigger). Its memory is lost: replace this worker.
        leak = error;
        recycle = true;
      }
    }
    if (leak !== undefined && outcome.ok) {
      // Surface it: a leak on a successful run is a bug in this file, and tests must see it.
      const detail = leak instanceof Error ? leak.message : "unknown error";
      outcome = { ok: false, error: { code: "INTERNAL", message: `sandbox failure while freeing QuickJS: ${detail}` } };
    }
    try {
      if (quickjs.getWasmMemory().buffer.byteLength > boot.recycleWasmBytes) recycle = true;
    } catch {
      recycle = true;
    }
    if (droppedLogs > 0) {
      logs.push({ level: "warn", message: `... ${droppedLogs} more lines dropped`, at: elapsed() });
    }
    const durationMs = elapsed();
    return outcome.ok
      ? { type: "result", id: job.id, ok: true, valueJson: outcome.valueJson, logs, durationMs, recycle }
      : { type: "result", id: job.id, ok: false, error: outcome.error, logs, durationMs, recycle };

    function elapsed(): number {
      return Math.round((performance.now() - start) * 1000) / 1000;
    }

    function execute(rt: QuickJSRuntime, ctx: QuickJSContext): Outcome {
      // --- globals: host functions installed through the FFI (no guest source to compile) ------
      // JSON.parse/stringify are captured before the user's code can replace them.
      const jsonObject = own(ctx.getProp(ctx.global, "JSON"));
      const parseFn = own(ctx.getProp(jsonObject, "parse"));
      const stringifyFn = own(ctx.getProp(jsonObject, "stringify"));
      const lazy: { formatter?: QuickJSHandle; microtask?: QuickJSHandle } = {};

      const consoleObject = own(ctx.newObject());
      const levelFns = LEVELS.map((level, index) =>
        own(ctx.newFunction(level, (...args: QuickJSHandle[]) => writeLog(index, args))),
      );
      LEVELS.forEach((level, index) => ctx.setProp(consoleObject, level, levelFns[index] ?? ctx.undefined));
      ctx.setProp(consoleObject, "trace", levelFns[4] ?? ctx.undefined);
      ctx.setProp(consoleObject, "dir", levelFns[0] ?? ctx.undefined);
      ctx.setProp(ctx.global, "console", consoleObject);

      const noTimers = " (there is no event loop: use a delay block to wait)";
      const stubs: [string, string | undefined][] = [
        ["setTimeout", noTimers],
        ["setInterval", noTimers],
        ["setImmediate", noTimers],
        ["clearTimeout", undefined],
        ["clearInterval", undefined],
        ["clearImmediate", undefined],
        ["fetch", " (use an HTTP block)"],
      ];
      for (const [name, hint] of stubs) {
        const stub = own(
          ctx.newFunction(name, () => {
            // Thrown host errors reach the guest as `Error` with this message.
            if (hint !== undefined) throw new Error(`${name} is not available in function blocks${hint}`);
          }),
        );
        ctx.setProp(ctx.global, name, stub);
      }
      const microtask = own(
        ctx.newFunction("queueMicrotask", (callback: QuickJSHandle) => {
          lazy.microtask ??= compileHelper(boot.microtaskSource, "weft:queueMicrotask");
          const queued = ctx.callFunction(lazy.microtask, ctx.undefined, callback ?? ctx.undefined);
          if (queued.error) return queued;
          queued.value.dispose();
        }),
      );
      ctx.setProp(ctx.global, "queueMicrotask", microtask);

      // --- compile the user's function ----------------------------------------------------------
      const compiled = ctx.evalCode(job.source, job.filename, { type: "global" });
      if (compiled.error) return fail(own(compiled.error), "compile");
      const userFn = own(compiled.value);

      // --- arguments: JSON text parsed inside the guest (a deep copy by construction) -----------
      const args: QuickJSHandle[] = [];
      for (const json of job.argsJson) {
        if (json === null) {
          args.push(ctx.undefined);
          continue;
        }
        const text = own(ctx.newString(json));
        const parsed = ctx.callFunction(parseFn, ctx.undefined, text);
        if (parsed.error) return fail(own(parsed.error), "setup");
        args.push(own(parsed.value));
      }

      // --- run, then drive pending jobs (await) until the promise settles ------------------------
      const called = ctx.callFunction(userFn, ctx.undefined, args);
      if (called.error) return fail(own(called.error), "run");
      const returned = own(called.value);
      let value: QuickJSHandle;
      for (;;) {
        const state = ctx.getPromiseState(returned);
        if (state.type === "fulfilled") {
          value = state.notAPromise ? returned : own(state.value);
          break;
        }
        if (state.type === "rejected") return fail(own(state.error), "run");
        if (!rt.hasPendingJob()) {
          if (stopReason) return { ok: false, error: stopped() };
          return {
            ok: false,
            error: {
              code: "USER_ERROR",
              message: `${job.label} returned a promise that never settles (there are no timers or I/O in the sandbox)`,
            },
          };
        }
        const jobs = rt.executePendingJobs();
        if (jobs.error) return fail(own(jobs.error), "run");
        jobs.dispose();
      }

      // --- result as JSON ------------------------------------------------------------------
      const serialized = ctx.callFunction(stringifyFn, ctx.undefined, value);
      if (serialized.error) return fail(own(serialized.error), "serialize");
      const json = own(serialized.value);
      if (ctx.typeof(json) !== "string") return { ok: true, valueJson: "null" }; // undefined, a function...
      const length = ctx.getProp(json, "length").consume((h) => ctx.getNumber(h));
      // UTF-16 length <= UTF-8 bytes, so a longer string is too large without copying it out.
      if (length > job.maxOutputBytes) return tooLarge();
      const valueJson = ctx.getString(json);
      // Copying the string out allocates in the guest heap; if that failed the copy is not the
      // string (the heap is full because the code kept large data reachable from globals).
      if (valueJson.length !== length) return memoryLimit();
      if (Buffer.byteLength(valueJson, "utf8") > job.maxOutputBytes) return tooLarge();
      return { ok: true, valueJson };

      function tooLarge(): Outcome {
        return {
          ok: false,
          error: { code: "OUTPUT_TOO_LARGE", message: `${job.label} result is larger than ${job.maxOutputBytes} bytes of JSON` },
        };
      }

      function memoryLimit(): Outcome {
        return {
          ok: false,
          error: { code: "MEMORY_LIMIT", message: `${job.label} exceeded the memory limit of ${job.memoryLimitBytes} bytes` },
        };
      }

      /** Compiles one of prelude.ts's helper sources in this context (owned until the run ends). */
      function compileHelper(source: string, filename: string): QuickJSHandle {
        const result = ctx.evalCode(source, filename, { type: "global", strict: true });
        if (result.error) {
          const error = result.error;
          error.dispose();
          throw new Error(`cannot compile ${filename}`);
        }
        return own(result.value);
      }

      function writeLog(levelIndex: number, args: QuickJSHandle[]): void {
        if (logs.length >= job.maxLogLines) {
          droppedLogs++;
          return;
        }
        const max = job.maxLogMessageChars;
        let message = "";
        for (let i = 0; i < args.length && message.length <= max; i++) {
          if (i > 0) message += " ";
          message += formatArg(args[i] ?? ctx.undefined);
        }
        if (message.length > max) message = `${message.slice(0, max)}... [truncated]`;
        logs.push({ level: LEVELS[levelIndex] ?? "log", message, at: elapsed() });
      }

      function formatArg(handle: QuickJSHandle): string {
        const type = ctx.typeof(handle);
        if (type === "undefined") return "undefined";
        if (type === "number") return String(ctx.getNumber(handle));
        if (type === "boolean") return ctx.dump(handle) === true ? "true" : "false";
        if (type === "string") {
          const length = ctx.getProp(handle, "length").consume((h) => ctx.getNumber(h));
          if (length <= job.maxLogMessageChars) return ctx.getString(handle);
        }
        // Objects, functions, bigints, symbols, long strings: formatted (and cut) in the guest.
        try {
          if (!lazy.formatter) {
            const factory = compileHelper(boot.formatterSource, "weft:console");
            const maxHandle = own(ctx.newNumber(job.maxLogMessageChars + 1));
            const made = ctx.callFunction(factory, ctx.undefined, stringifyFn, maxHandle);
            if (made.error) {
              made.error.dispose();
              return "[unprintable]";
            }
            lazy.formatter = own(made.value);
          }
          const formatted = ctx.callFunction(lazy.formatter, ctx.undefined, handle);
          if (formatted.error) {
            formatted.error.dispose();
            return "[unprintable]";
          }
          const text = ctx.typeof(formatted.value) === "string" ? ctx.getString(formatted.value) : "[unprintable]";
          formatted.value.dispose();
          return text;
        } catch {
          return "[unprintable]";
        }
      }

      /** Runs DESCRIBE_SOURCE (compiled only now, on the error path) on a thrown value. */
      function describe(errorHandle: QuickJSHandle): QuickJSResult {
        const factory = ctx.evalCode(boot.describeSource, "weft:describe", { type: "global", strict: true });
        if (factory.error) return factory;
        const described = ctx.callFunction(factory.value, ctx.undefined, errorHandle, stringifyFn);
        factory.value.dispose();
        return described;
      }

      function fail(errorHandle: QuickJSHandle, phase: "setup" | "compile" | "run" | "serialize"): Outcome {
        if (stopReason) return { ok: false, error: stopped() };
        let name = "";
        let message = "";
        let stack = "";
        let described = false;
        const result = describe(errorHandle);
        if (!result.error) {
          try {
            const info = JSON.parse(ctx.getString(result.value)) as unknown;
            if (info && typeof info === "object") {
              const record = info as Record<string, unknown>;
              name = typeof record.name === "string" ? record.name : "";
              message = typeof record.message === "string" ? record.message : "";
              stack = typeof record.stack === "string" ? record.stack : "";
              described = true;
            }
          } catch {
            described = false;
          }
          result.value.dispose();
        } else {
          result.error.dispose();
        }
        if (stopReason) return { ok: false, error: stopped() };
        if (!described) {
          // describe() itself failed (typically: still out of memory). Read what we can.
          try {
            const dumped = ctx.dump(errorHandle) as unknown;
            if (dumped && typeof dumped === "object") {
              const record = dumped as Record<string, unknown>;
              name = typeof record.name === "string" ? record.name : "";
              message = typeof record.message === "string" ? record.message : String(JSON.stringify(dumped));
            } else {
              message = String(dumped);
            }
          } catch {
            message = "unknown error";
          }
        }
        const nullish = !described || (name === "" && (message === "null" || message === "undefined" || message === ""));
        if ((/out of memory/i.test(message) && (name === "InternalError" || name === "")) || (growFailed && nullish)) {
          return memoryLimit();
        }
        if (
          (/stack overflow/i.test(message) && (name === "InternalError" || name === "SyntaxError")) ||
          (name === "RangeError" && /call stack/i.test(message))
        ) {
          return { ok: false, error: { code: "STACK_OVERFLOW", message: "Maximum call stack size exceeded (recursion too deep)" } };
        }
        // The host appends " (line N)" (clamped to the user's text) to USER_ERROR/SYNTAX_ERROR.
        const line = lineIn(stack, job.filename);
        const text = name && name !== "Error" ? `${name}: ${message}` : message || "(empty error message)";
        if (phase === "compile" && name === "SyntaxError") {
          return { ok: false, error: { code: "SYNTAX_ERROR", message: text, line } };
        }
        if (phase === "serialize") {
          return { ok: false, error: { code: "NOT_SERIALIZABLE", message: `${job.label} result is not JSON-serializable: ${text}` } };
        }
        if (phase === "setup") {
          return { ok: false, error: { code: "INTERNAL", message: `sandbox setup failed: ${text}` } };
        }
        return { ok: false, error: { code: "USER_ERROR", message: text, line } };
      }
    }
  }
}
