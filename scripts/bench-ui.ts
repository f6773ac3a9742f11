/**
 * `npm run bench:ui`: browser performance figures of the dashboard, one per line as `name: value unit`
 * (measured, never asserted). It starts the production server the way the e2e tests do
 * (scripts/start.mjs: build into apps/web/.next-e2e if stale, migrate, serve; a fresh temporary
 * embedded database, or WEFT_BENCH_DATABASE_URL), signs up through the REST API, seeds
 *   - an execution with >= 5,000 events: a loop over 1,250 items whose body is a trivial function
 *     then a 0 ms delay (4 events per iteration), and
 *   - a flow of 200 nodes (source, 198 function blocks, sink) laid out on a grid,
 * and drives Debian's chromium (/usr/bin/chromium, 1280x800) to measure:
 *   - the execution timeline: time to the first rendered event row and step card, time until every
 *     event has arrived over the stream (navigation start = 0), the DOM size afterwards, and frame
 *     times while its raw-event list and its steps list are scrolled top to bottom programmatically
 *     (a fixed number of pixels per frame, frame times sampled with requestAnimationFrame);
 *   - the flow builder canvas with 200 nodes: time until every rendered node is visible (measured by
 *     React Flow; "open a 200-node flow"), how many nodes are in the DOM, frame times while panning
 *     (a mouse drag, one move per frame) and zooming (wheel steps, one per frame), and keystroke to
 *     paint p95 while typing in a config field of one of its nodes (its Label).
 * Frame figures: p50/p95/max of the intervals between animation frames, frames over 50 ms, and
 * dropped frames (intervals beyond one 60 Hz frame, in frames). Headless chromium without a GPU
 * rasterises in software, so absolute numbers are pessimistic; compare runs on the same machine.
 *
 * React Flow's `onlyRenderVisibleElements` was measured too (a build with it on): at 200 nodes it cut
 * the DOM to the ~40 nodes in view but neither rendered nor panned/zoomed measurably better (p50 and
 * p95 16.7 ms either way; the single worst frame varies between runs with the machine's load), and it
 * mounts nodes as they scroll into view, so the builder renders every node. Revisit it for graphs of
 * thousands of nodes.
 *
 * Environment: WEFT_BENCH_PORT (default 3190), WEFT_BENCH_DATABASE_URL (default: embedded PGlite),
 * WEFT_BENCH_ITERATIONS (loop items, default 1250).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, request, type APIRequestContext, type Page } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.WEFT_BENCH_PORT ?? 3190);
const baseURL = `http://localhost:${port}`;
const iterations = Number(process.env.WEFT_BENCH_ITERATIONS ?? 1250);
const CANVAS_NODES = 200;
const FRAME_MS = 1000 / 60;

const print = (name: string, value: number, unit: string) => console.log(`${name}: ${Number(value.toFixed(2))} ${unit}`);

// ---------------------------------------------------------------------------------------------
// The server

function startServer(dataDir: string): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      WEFT_DATA_DIR: dataDir,
      WEFT_NEXT_DIST_DIR: ".next-e2e",
      DATABASE_URL: process.env.WEFT_BENCH_DATABASE_URL ?? "",
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "",
      CLERK_SECRET_KEY: "",
      CLERK_JWT_KEY: "",
      NEXT_TELEMETRY_DISABLED: "1",
      CLERK_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: stopping it stops next-server too (scripts/start.mjs forwards SIGTERM).
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitForServer(child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 600_000; // a build on a busy machine takes minutes
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output.join("")}`);
    try {
      const response = await fetch(baseURL);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding through the REST API

type GraphNode = { id: string; type: string; position: { x: number; y: number }; data: { config: Record<string, unknown> } };
const node = (id: string, type: string, config: Record<string, unknown> = {}, position = { x: 0, y: 0 }): GraphNode => ({ id, type, position, data: { config } });
const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}->${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

async function json<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>, status: number): Promise<T> {
  if (response.status() !== status) throw new Error(`${response.url()}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

async function seed(api: APIRequestContext) {
  const email = `bench-${Date.now().toString(36)}@example.com`;
  await json(await api.post("/api/auth/sign-up", { data: { name: "Bench", email, password: "correct horse battery staple" } }), 201);
  const { workspace } = await json<{ workspace: { id: string } }>(await api.post("/api/v1/workspaces", { data: { name: "Bench" } }), 201);
  const headers = { "x-weft-workspace": workspace.id };
  const createFlow = async (name: string, graph: { nodes: unknown[]; edges: unknown[] }) =>
    (await json<{ flow: { id: string } }>(await api.post("/api/v1/flows", { headers, data: { name, ...graph } }), 201)).flow.id;

  // >= 5,000 events: every iteration starts and completes two body nodes.
  const loopFlow = await createFlow("Bench: 5,000 events", {
    nodes: [
      node("in", "source"),
      node("each", "loop", { over: "{{ input.items }}", maxIterations: iterations }),
      node("step", "function", { code: "return input.index;" }),
      node("pause", "delay", { ms: 0 }),
      node("out", "sink"),
    ],
    edges: [edge("in", "each"), edge("each", "step", "body"), edge("step", "pause"), edge("each", "out")],
  });
  const started = await json<{ executionId: string }>(
    await api.post(`/api/v1/flows/${loopFlow}/execute`, { headers, data: { input: { items: Array.from({ length: iterations }, (_, i) => i) } } }),
    202,
  );
  type Run = { status: string; metrics: { durationMs: number | null } };
  let run: Run | undefined;
  for (const deadline = Date.now() + 600_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    const current = await json<Run>(await api.get(`/api/v1/executions/${started.executionId}`, { headers }), 200);
    run = current;
    if (current.status !== "pending" && current.status !== "running") break;
  }
  if (!run || run.status !== "completed") throw new Error(`the seeded run ended ${run?.status}`);
  let events = 0;
  for (;;) {
    const page = await json<{ events: unknown[]; nextIndex: number }>(
      await api.get(`/api/v1/executions/${started.executionId}/events?fromIndex=${events}&limit=1000`, { headers }),
      200,
    );
    if (page.events.length === 0) break;
    events = page.nextIndex;
  }

  // 200 nodes: a chain laid out row by row on a 20-wide grid.
  const columns = 20;
  const ids = Array.from({ length: CANVAS_NODES }, (_, i) => (i === 0 ? "in" : i === CANVAS_NODES - 1 ? "out" : `f${i}`));
  const canvasFlow = await createFlow("Bench: 200 nodes", {
    nodes: ids.map((id, i) =>
      node(id, i === 0 ? "source" : i === CANVAS_NODES - 1 ? "sink" : "function", i === 0 || i === CANVAS_NODES - 1 ? {} : { code: "return input;" }, {
        x: (i % columns) * 240,
        y: Math.floor(i / columns) * 140,
      }),
    ),
    edges: ids.slice(1).map((id, i) => edge(ids[i]!, id)),
  });
  return { workspaceId: workspace.id, executionId: started.executionId, events, runMs: run.metrics.durationMs, canvasFlow };
}

// ---------------------------------------------------------------------------------------------
// In the page

type FrameStats = { frames: number; p50: number; p95: number; max: number; over50: number; dropped: number };

function frameStats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    frames: deltas.length,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted.at(-1) ?? 0,
    over50: deltas.filter((d) => d > 50).length,
    dropped: deltas.reduce((sum, d) => sum + Math.max(0, Math.round(d / FRAME_MS) - 1), 0),
  };
}

function printFrames(prefix: string, stats: FrameStats) {
  print(`${prefix}_frames`, stats.frames, "count");
  print(`${prefix}_frame_p50`, stats.p50, "ms");
  print(`${prefix}_frame_p95`, stats.p95, "ms");
  print(`${prefix}_frame_max`, stats.max, "ms");
  print(`${prefix}_frames_over_50ms`, stats.over50, "count");
  print(`${prefix}_dropped_frames`, stats.dropped, "count");
}

/** Scrolls the element top to bottom, `pxPerFrame` per animation frame; returns the frame intervals. */
async function scrollFrames(page: Page, selector: string, pxPerFrame: number): Promise<number[]> {
  return page.evaluate(
    async ({ selector, pxPerFrame }) => {
      const el = document.querySelector<HTMLElement>(selector);
      if (!el) throw new Error(`no ${selector}`);
      el.scrollTop = 0;
      const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
      await frame();
      let last = await frame();
      const deltas: number[] = [];
      for (let guard = 0; guard < 20_000; guard++) {
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
        el.scrollTop += pxPerFrame;
        const now = await frame();
        deltas.push(now - last);
        last = now;
      }
      return deltas;
    },
    { selector, pxPerFrame },
  );
}

/** Samples animation frames in the page until `stop()`; returns the intervals. */
async function sampleFrames(page: Page, during: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __sampling: boolean };
    w.__frames = [];
    w.__sampling = true;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (w.__sampling) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  });
  await during();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __sampling: boolean };
    w.__sampling = false;
    return w.__frames;
  });
}

const nextFrame = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

/**
 * Selects a function block in sight (a click on its card, after opening the flow again), focuses its Label field in the
 * config panel and types 40 characters, one keystroke per frame. For each keystroke: from the key
 * event's timestamp to the frame that paints it (the first task after the next animation frame);
 * returns the p95 of those times.
 */
async function keystrokeToPaint(page: Page): Promise<number> {
  // Opened again (fit to view): panning and zooming moved the view.
  await page.reload();
  await page.waitForSelector(".react-flow__node");
  await page.waitForTimeout(1000);
  // A function block wholly in sight (at React Flow's minimum zoom not every block fits a narrow canvas).
  const nodeId = await page.evaluate(() => {
    const frame = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node[data-id^="f"]')) {
      const r = el.getBoundingClientRect();
      if (r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom && r.bottom <= window.innerHeight) return el.dataset.id!;
    }
    return null;
  });
  if (!nodeId) throw new Error("no function block in sight to type into");
  await page.getByTestId(`block-${nodeId}`).click();
  const label = page.getByLabel("Label", { exact: true });
  await label.waitFor();
  await label.click();
  await page.evaluate(() => {
    const w = window as unknown as { __keys: number[] };
    w.__keys = [];
    document.addEventListener(
      "keydown",
      (event) => {
        const start = event.timeStamp;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => w.__keys.push(performance.now() - start);
          channel.port2.postMessage(null);
        });
      },
      { capture: true },
    );
  });
  for (const char of "the quick brown fox jumps over the lazy ") {
    await page.keyboard.type(char);
    await nextFrame(page);
    await nextFrame(page);
  }
  const times = await page.evaluate(() => (window as unknown as { __keys: number[] }).__keys);
  if (times.length < 40) throw new Error(`measured ${times.length} of 40 keystrokes`);
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]!;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-bench-ui-"));
  const server = startServer(dataDir);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const api = await request.newContext({ baseURL });
  // Ctrl-C or a kill: stop the server's process group before leaving.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      if (server.child.pid && server.child.exitCode === null) process.kill(-server.child.pid, "SIGTERM");
      process.exit(130);
    });
  }
  try {
    await waitForServer(server.child, server.output);
    const seeded = await seed(api);
    print("seed_execution_events", seeded.events, "count");
    if (seeded.runMs != null) print("seed_execution_run", seeded.runMs, "ms");

    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
    await context.addCookies((await api.storageState()).cookies);
    // tsx compiles this file with esbuild's keepNames, which wraps named functions in `__name(...)`;
    // the functions handed to the page are serialised as they are, so the page needs that helper.
    await context.addInitScript({ content: "globalThis.__name = (fn) => fn;" });

    // --- The timeline ------------------------------------------------------------------------
    const page = await context.newPage();
    // Checked on every animation frame from the first one: a mark is the frame the DOM first shows it.
    await page.addInitScript((total: number) => {
      const marks: Record<string, number> = {};
      (window as unknown as { __marks: Record<string, number> }).__marks = marks;
      const tick = (now: number) => {
        if (!("firstEvent" in marks) && document.querySelector('[data-testid="event-row"]')) marks.firstEvent = now;
        if (!("firstStep" in marks) && document.querySelector('[data-testid="node-card"]')) marks.firstStep = now;
        if (Number(document.querySelector('[data-testid="raw-events"]')?.getAttribute("data-count")) >= total) marks.allEvents = now;
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }, seeded.events);
    await page.goto(`/w/${seeded.workspaceId}/executions/${seeded.executionId}`);
    for (const deadline = Date.now() + 600_000; ; await page.waitForTimeout(250)) {
      const progress = await page.evaluate(() => ({
        done: "allEvents" in (window as unknown as { __marks: Record<string, number> }).__marks,
        count: document.querySelector('[data-testid="raw-events"]')?.getAttribute("data-count") ?? "-",
      }));
      if (progress.done) break;
      if (Date.now() > deadline) throw new Error(`the timeline showed ${progress.count} of ${seeded.events} events`);
      if (process.env.WEFT_BENCH_VERBOSE) console.error(`events shown: ${progress.count}`);
    }
    const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
    print("timeline_first_event_row", marks.firstEvent!, "ms");
    print("timeline_first_step_card", marks.firstStep!, "ms");
    print("timeline_all_events_received", marks.allEvents!, "ms");
    // Let the last state settle before counting and scrolling.
    await page.waitForTimeout(1000);
    const dom = await page.evaluate(() => ({
      elements: document.getElementsByTagName("*").length,
      eventRows: document.querySelectorAll('[data-testid="event-row"]').length,
      stepCards: document.querySelectorAll('[data-testid="node-card"]').length,
      steps: Number(document.querySelector('[data-testid="steps"]')?.getAttribute("data-count")),
    }));
    print("timeline_dom_elements", dom.elements, "count");
    print("timeline_event_rows_in_dom", dom.eventRows, "count");
    print("timeline_steps", dom.steps, "count");
    print("timeline_step_cards_in_dom", dom.stepCards, "count");
    printFrames("timeline_events_scroll", frameStats(await scrollFrames(page, '[data-testid="raw-events"]', 200)));
    printFrames("timeline_steps_scroll", frameStats(await scrollFrames(page, '[data-testid="steps"]', 200)));
    await page.close();

    // --- The canvas --------------------------------------------------------------------------
    const canvas = await context.newPage();
    await canvas.addInitScript(() => {
      // Every frame until stopped: when the set of visible nodes (measured by React Flow) last changed.
      const state = { visibleAt: 0, visible: 0, rendered: 0, stop: false };
      (window as unknown as { __canvas: typeof state }).__canvas = state;
      const tick = (now: number) => {
        const nodes = document.querySelectorAll<HTMLElement>(".react-flow__node");
        let visible = 0;
        for (const n of nodes) if (n.style.visibility !== "hidden") visible++;
        if (visible !== state.visible || nodes.length !== state.rendered) {
          state.visible = visible;
          state.rendered = nodes.length;
          state.visibleAt = now;
        }
        if (!state.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await canvas.goto(`/w/${seeded.workspaceId}/flows/${seeded.canvasFlow}`);
    await canvas.waitForSelector(".react-flow__node");
    // Settled: no change to the visible nodes for a second.
    let previous = -1;
    for (;;) {
      await canvas.waitForTimeout(1000);
      const { visibleAt } = await canvas.evaluate(() => (window as unknown as { __canvas: { visibleAt: number } }).__canvas);
      if (visibleAt === previous) break;
      previous = visibleAt;
    }
    const rendered = await canvas.evaluate(() => {
      const state = (window as unknown as { __canvas: { visibleAt: number; visible: number; rendered: number; stop: boolean } }).__canvas;
      state.stop = true;
      return { ...state, edges: document.querySelectorAll(".react-flow__edge").length };
    });
    print("canvas_200_nodes_render", rendered.visibleAt, "ms");
    print("canvas_200_nodes_in_dom", rendered.rendered, "count");
    print("canvas_200_nodes_visible", rendered.visible, "count");
    print("canvas_200_edges_in_dom", rendered.edges, "count");

    // A point of the empty pane (a drag there pans; on a node it would move the node).
    const box = (await canvas.getByTestId("canvas").boundingBox())!;
    const start = await canvas.evaluate(({ x, y, width, height }) => {
      for (let fy = 0.2; fy < 0.9; fy += 0.05) {
        for (let fx = 0.2; fx < 0.8; fx += 0.03) {
          const px = x + width * fx;
          const py = y + height * fy;
          if (document.elementFromPoint(px, py)?.classList.contains("react-flow__pane")) return { x: px, y: py };
        }
      }
      return null;
    }, box);
    if (!start) throw new Error("no empty pane point to pan from");
    const pan = await sampleFrames(canvas, async () => {
      await canvas.mouse.move(start.x, start.y);
      await canvas.mouse.down();
      // Left across the graph and back, one move per frame.
      for (let i = 1; i <= 120; i++) {
        const t = i <= 60 ? i / 60 : (120 - i) / 60;
        await canvas.mouse.move(start.x - t * box.width * 0.6, start.y - t * box.height * 0.3);
        await nextFrame(canvas);
      }
      await canvas.mouse.up();
    });
    printFrames("canvas_200_pan", frameStats(pan));
    const center = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const zoom = await sampleFrames(canvas, async () => {
      await canvas.mouse.move(center.x, center.y);
      // In to the maximum and back out past the start, one wheel step per frame.
      for (let i = 0; i < 120; i++) {
        await canvas.mouse.wheel(0, i < 50 ? -120 : 120);
        await nextFrame(canvas);
      }
    });
    printFrames("canvas_200_zoom", frameStats(zoom));

    // Keystroke to paint in a config field of the 200-node flow: the selected node's Label input.
    print("canvas_200_keystroke_to_paint_p95", await keystrokeToPaint(canvas), "ms");
    await canvas.close();
    await context.close();
  } finally {
    await api.dispose();
    await browser.close();
    await stopServer(server.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
