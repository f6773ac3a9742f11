import { Command, InvalidArgumentError } from "commander";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, register, UnauthorizedError } from "./client";
import { runLoop } from "./runner-loop";

const VERSION = "0.1.0";
const CREDENTIAL_PREFIX = "weftr_";
const REGISTRATION_PREFIX = "weftrt_";

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("a positive whole number");
  return n;
};

/**
 * `weft-runner --url URL --token TOKEN --labels a,b --workdir DIR`: registers with a one-time
 * registration token (the credential is kept in DIR/.weft-runner/credential.json, mode 0600) or uses
 * a runner credential, then claims the workspace's agent and script steps it has the labels for.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("weft-runner")
    .description("Runs a Weft workspace's agent and script steps on this machine (connects outward only)")
    .version(VERSION)
    .requiredOption("--url <url>", "the Weft server, e.g. https://weft.example.com")
    .option("--token <token>", "a registration token from Settings → Runners (or a runner credential)", process.env.WEFT_RUNNER_TOKEN)
    .option("--labels <labels>", "comma-separated labels this runner offers", "")
    .option("--workdir <dir>", "where steps run (their cwd stays inside it)", process.cwd())
    .option("--name <name>", "the runner's name in Settings → Runners", os.hostname())
    .option("--heartbeat-ms <ms>", "heartbeat period of a running step", positiveInt, 5_000)
    .option("--claim-wait-ms <ms>", "long-poll length of a claim", positiveInt, 25_000)
    .option("--max-output-bytes <n>", "stdout and stderr kept in a step's output (each)", positiveInt, 64 * 1024)
    .option("--max-transcript-bytes <n>", "agent transcript kept in a step's output", positiveInt, 256 * 1024)
    .option("--max-stream-bytes <n>", "output streamed to the server per step", positiveInt, 1024 * 1024)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode ?? 2;
    return code === 0 ? 0 : 2;
  }
  const opts = program.opts<{ url: string; token?: string; labels: string; workdir: string; name: string; heartbeatMs: number; claimWaitMs: number; maxOutputBytes: number; maxTranscriptBytes: number; maxStreamBytes: number }>();
  const labels = opts.labels.split(",").map((l) => l.trim()).filter(Boolean);
  const workdir = path.resolve(opts.workdir);
  mkdirSync(workdir, { recursive: true });
  const log = (line: string) => process.stdout.write(`[weft-runner] ${line}\n`);

  let credential: string;
  try {
    credential = await credentialFor({ url: opts.url, token: opts.token, workdir, name: opts.name, labels, log });
  } catch (error) {
    process.stderr.write(`weft-runner: ${(error as Error).message}\n`);
    return 1;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const baseEnv = { ...process.env };
  delete baseEnv.WEFT_RUNNER_TOKEN;
  log(`connected to ${opts.url} as ${opts.name} with labels [${labels.join(", ")}]; work directory ${workdir}`);
  try {
    await runLoop(
      {
        client: createClient({ url: opts.url, credential }),
        claimWaitMs: opts.claimWaitMs,
        heartbeatMs: opts.heartbeatMs,
        logFlushMs: 100,
        log,
        workdir,
        maxOutputBytes: opts.maxOutputBytes,
        maxTranscriptBytes: opts.maxTranscriptBytes,
        maxStreamBytes: opts.maxStreamBytes,
        baseEnv,
      },
      stop.signal,
    );
    return 0;
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      process.stderr.write(`weft-runner: ${error.message}\n`);
      return 3;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The runner credential: given, saved from an earlier registration, or obtained with a registration token. */
async function credentialFor(input: { url: string; token?: string; workdir: string; name: string; labels: string[]; log: (line: string) => void }): Promise<string> {
  if (input.token?.startsWith(CREDENTIAL_PREFIX)) return input.token;
  const file = path.join(input.workdir, ".weft-runner", "credential.json");
  const saved = readSaved(file);
  if (saved && saved.url === input.url && !input.token?.startsWith(REGISTRATION_PREFIX)) return saved.credential;
  if (!input.token) throw new Error(`no credential: pass --token with a registration token from Settings → Runners`);
  if (!input.token.startsWith(REGISTRATION_PREFIX)) throw new Error("--token must be a registration token (weftrt_...) or a runner credential (weftr_...)");
  const { runner, credential } = await register(input.url, { token: input.token, name: input.name, labels: input.labels, version: VERSION, hostname: os.hostname() });
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ url: input.url, runnerId: runner.id, credential }), { mode: 0o600 });
  input.log(`registered as runner ${runner.id}; credential saved in ${file}`);
  return credential;
}

function readSaved(file: string): { url: string; credential: string } | null {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as { url?: unknown; credential?: unknown };
    return typeof value.url === "string" && typeof value.credential === "string" ? { url: value.url, credential: value.credential } : null;
  } catch {
    return null;
  }
}
