import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

// Each case starts real servers (initdb included): generous on a busy machine.
const SLOW = 180_000;
import { EmbeddedDatabaseError, EmbeddedDatabaseInUseError, runningEmbedded, startEmbeddedPostgres, type EmbeddedServer } from "../src/embedded";

/**
 * The embedded PostgreSQL 17 (the default database of `npm start`): its files, its owner, and every
 * fault it must name clearly and recover from without a manual step. Real servers, real processes.
 */
const folders: string[] = [];
const servers: EmbeddedServer[] = [];
const children: number[] = [];

function dataFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weft-embedded-"));
  fs.chmodSync(dir, 0o755); // as root, the server runs as `postgres` and must reach the folder
  folders.push(dir);
  return dir;
}

async function start(dataDir: string, extra: { port?: number; durable?: boolean } = {}): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres({ dataDir, owner: "embedded.test", durable: false, ...extra });
  servers.push(server);
  return server;
}

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

/** Runs embedded-child.ts (optionally under a shell prefix such as a file-size limit) and reads its first line. */
function ownerProcess(dataDir: string, shellPrefix = ""): Promise<{ pid: number; line: { url?: string; pid?: number; error?: string } }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `${shellPrefix} exec "${process.execPath}" --import tsx "${path.join(__dirname, "embedded-child.ts")}"`], {
      env: { ...process.env, EMBEDDED_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child.pid!);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ pid: child.pid!, line: JSON.parse(line) as { url?: string; pid?: number; error?: string } });
    });
    child.once("exit", (code) => {
      if (!out.includes("{")) reject(new Error(`child exited with ${code} before answering`));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  for (const pid of children) if (alive(pid)) process.kill(pid, "SIGKILL");
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

describe("embedded PostgreSQL", () => {
  it("initialises a data folder once: 0600 password and connection files, PostgreSQL 17 on 127.0.0.1 only, data kept across restarts", async () => {
    const dataDir = dataFolder();
    const first = await start(dataDir);
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/weft$/);
    for (const file of ["pg-password", "pg.json"]) expect(fs.statSync(path.join(dataDir, file)).mode & 0o777).toBe(0o600);
    const recorded = JSON.parse(fs.readFileSync(path.join(dataDir, "pg.json"), "utf8")) as Record<string, unknown>;
    expect(recorded).toMatchObject({ host: "127.0.0.1", port: first.port, ownerPid: process.pid, postmasterPid: first.pid, database: "weft" });
    expect(JSON.stringify(recorded)).not.toContain(fs.readFileSync(path.join(dataDir, "pg-password"), "utf8").trim());
    expect(runningEmbedded(dataDir)?.url).toBe(first.url);
    const [version] = await query<{ server_version: string; listen: string; sockets: string }>(
      first.url,
      "select current_setting('server_version') as server_version, current_setting('listen_addresses') as listen, current_setting('unix_socket_directories') as sockets",
    );
    expect(version).toMatchObject({ listen: "127.0.0.1", sockets: "" });
    expect(version!.server_version).toMatch(/^17\./);
    await query(first.url, "create table kept (x int); insert into kept values (42)");
    // A wrong password is refused (scram-sha-256, not trust).
    const wrong = new URL(first.url);
    wrong.password = "wrong";
    await expect(query(wrong.toString(), "select 1")).rejects.toThrow(/password authentication failed/);
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, "pg.json"))).toBe(false);
    expect(runningEmbedded(dataDir)).toBeNull();

    const second = await start(dataDir);
    expect(await query(second.url, "select x from kept")).toEqual([{ x: 42 }]);
    await second.stop();
  }, SLOW);

  it("refuses a second owner while the first lives, naming it; after the owner is killed -9 the next start stops the orphaned server and recovers the data", async () => {
    const dataDir = dataFolder();
    const owner = await ownerProcess(dataDir);
    expect(owner.line.url).toBeDefined();
    await query(owner.line.url!, "create table survived (x int); insert into survived values (7)");

    const refused = await startEmbeddedPostgres({ dataDir, owner: "second" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EmbeddedDatabaseInUseError);
    expect((refused as Error).message).toContain(`${path.join(dataDir, "pg")} is already run by \`embedded-child\` (pid ${owner.pid})`);

    process.kill(owner.pid, "SIGKILL"); // the owner dies; its server (its own process group) is orphaned
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(owner.line.pid!)).toBe(true);
    const logs: string[] = [];
    const recovered = await startEmbeddedPostgres({ dataDir, owner: "embedded.test", durable: false, onLog: (l) => logs.push(l) });
    servers.push(recovered);
    expect(alive(owner.line.pid!)).toBe(false);
    expect(logs.join("\n")).toContain(`stopping an orphaned server of ${path.join(dataDir, "pg")} (pid ${owner.line.pid})`);
    expect(await query(recovered.url, "select x from survived")).toEqual([{ x: 7 }]);
    await recovered.stop();
  }, SLOW);

  it("recovers after the server itself is killed -9 (stale postmaster.pid, crash recovery), with no manual step", async () => {
    const dataDir = dataFolder();
    const server = await start(dataDir, { durable: true }); // as `npm start` runs it: commits are on disk
    await query(server.url, "create table committed (x int); insert into committed values (1)");
    process.kill(server.pid, "SIGKILL");
    const ended = await server.exited;
    expect(ended.signal).toBe("SIGKILL");
    expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(true);
    const again = await start(dataDir, { durable: true });
    expect(await query(again.url, "select x from committed")).toEqual([{ x: 1 }]);
    await again.stop();
  }, SLOW);

  it("names the port when a fixed port is taken, and starts nothing", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = dataFolder();
    try {
      const error = await start(dataDir, { port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddedDatabaseError);
      expect((error as Error).message).toContain(`127.0.0.1:${port}: the port is taken`);
      expect(fs.existsSync(path.join(dataDir, "pg.json"))).toBe(false);
    } finally {
      blocker.close();
    }
    const free = await start(dataDir); // the same folder starts once the cause is gone
    expect(free.port).not.toBe(port);
    await free.stop();
  }, SLOW);

  it("names the data folder when it cannot be written", async () => {
    const parent = dataFolder();
    fs.writeFileSync(path.join(parent, "a-file"), "");
    const dataDir = path.join(parent, "a-file", "data"); // a folder under a file: never creatable, even as root
    const error = await startEmbeddedPostgres({ dataDir, owner: "embedded.test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedDatabaseError);
    expect((error as Error).message).toContain(`The data folder ${dataDir} is not writable (ENOTDIR)`);
  }, SLOW);

  it("when initdb runs out of space it says so, leaves nothing half-made behind, and the next start succeeds", async () => {
    const dataDir = dataFolder();
    // A 2 MB file-size limit (inherited by initdb) makes its first large write fail, as a full disk would.
    const failed = await ownerProcess(dataDir, "ulimit -f 4096;");
    expect(failed.line.error).toMatch(/Creating the embedded database in .*\/pg failed \(initdb (SIGXFSZ|exit code \d+)\)/);
    expect(failed.line.error).toMatch(/disk holding .* is full|File size limit|could not (write|extend)/);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith("pg") && f !== "pg-password")).toEqual([]);
    const server = await start(dataDir);
    expect(await query(server.url, "select 1 as one")).toEqual([{ one: 1 }]);
    await server.stop();
  }, SLOW);
});
