import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, count, eq, flowExecutions, flows } from "@weft/db";
import { createDiskStorage, createS3Storage, type ArtifactStorage } from "../src/lib/artifact-storage";
import { callerFor, createTestApi, type TestApi } from "../src/testing";
import { expectRestError, restClient, signUpUser, type ErrorBody, type SignedUpUser } from "./support";

/**
 * Artifacts through the real REST app, on disk AND on a real S3-compatible server (s3rver, started
 * here on 127.0.0.1) through the AWS SDK: raw and multipart uploads, downloads as attachments with
 * nosniff and a SHA-256 ETag, 413 (size, quota) and 415 with nothing stored, roles and tenancy, and a
 * 500 MB streamed upload with flat memory.
 */

type ArtifactView = { id: string; name: string; contentType: string; sizeBytes: number; sha256: string; nodeId: string | null; downloadUrl: string };

let s3: S3rver;
let s3Dir: string;
let s3Endpoint: string;

beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(tmpdir(), "weft-s3rver-"));
  s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: "weft-test", configs: [] }] });
  const address = (await s3.run()) as AddressInfo;
  s3Endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await s3?.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

const sha = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** A request body of `total` bytes produced chunk by chunk (never held whole). */
function generatedBody(total: number, chunk = 1024 * 1024): ReadableStream<Uint8Array> {
  const block = Buffer.alloc(chunk, 0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(n === chunk ? new Uint8Array(block) : new Uint8Array(block.subarray(0, n)));
    },
  });
}

for (const kind of ["disk", "s3"] as const) {
  describe(`artifacts on ${kind}`, () => {
    let api: TestApi;
    let rest: ReturnType<typeof restClient>;
    let storage: ArtifactStorage;
    let owner: SignedUpUser;
    let viewer: SignedUpUser;
    let stranger: SignedUpUser;
    let ws: string;
    let wsOther: string;
    let executionId: string;
    let diskDir: string;
    const as = (who: SignedUpUser) => callerFor(api.deps, who.user);
    const headers = (who: SignedUpUser, workspaceId = ws) => ({ cookie: who.cookie, "x-weft-workspace": workspaceId });
    const upload = (body: BodyInit, init: { who?: SignedUpUser; workspaceId?: string; headers?: Record<string, string>; query?: string } = {}) =>
      api.rest.request(`/api/v1/executions/${executionId}/artifacts${init.query ?? ""}`, {
        method: "POST",
        headers: { ...headers(init.who ?? owner, init.workspaceId), ...init.headers },
        body,
        duplex: "half",
      } as RequestInit);
    const rowCount = async () => (await api.deps.db.select({ n: count() }).from(artifacts).where(eq(artifacts.workspaceId, ws)))[0]!.n;
    /** Bytes under the workspace's prefix (counted by deleting them: only used where none should exist). */
    const storedUnderWorkspace = () => storage.deletePrefix(`${ws}/`);

    beforeAll(async () => {
      diskDir = mkdtempSync(path.join(tmpdir(), "weft-artifact-disk-"));
      storage =
        kind === "disk"
          ? createDiskStorage(diskDir)
          : createS3Storage({ bucket: "weft-test", endpoint: s3Endpoint, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", prefix: "runs/" });
      api = await createTestApi();
      api.deps.artifacts = { ...api.deps.artifacts, storage, maxBytes: 1024 * 1024, quotaBytes: 3 * 1024 * 1024 };
      rest = restClient(api);
      [owner, viewer, stranger] = [await signUpUser(api, `Art${kind}Owner`), await signUpUser(api, `Art${kind}Viewer`), await signUpUser(api, `Art${kind}Stranger`)];
      ws = (await as(owner).workspaces.create({ name: `Files ${kind}` })).id;
      wsOther = (await as(stranger).workspaces.create({ name: `Other ${kind}` })).id;
      await as(owner).members.invite({ workspaceId: ws, email: viewer.user.email, role: "viewer" });
      const graph = { nodes: [{ id: "in", type: "source", position: { x: 0, y: 0 }, data: { config: {} } }, { id: "out", type: "sink", position: { x: 0, y: 0 }, data: { config: {} } }], edges: [{ id: "e", source: "in", target: "out" }] };
      const [flow] = await api.deps.db.insert(flows).values({ workspaceId: ws, name: "Files", nodes: graph.nodes, edges: graph.edges }).returning();
      executionId = (await api.deps.executions.create({ workspaceId: ws, flowId: flow!.id, graph, input: {} })).id;
    });
    afterAll(async () => {
      await api?.close();
      rmSync(diskDir, { recursive: true, force: true });
    });

    it("raw and multipart uploads; download is an attachment with nosniff, the type and a SHA-256 ETag; artifact_added; delete removes the bytes", async () => {
      const text = "hello, artifacts ✓\n";
      const raw = await upload(text, { headers: { "content-type": "text/plain; charset=utf-8", "x-filename": encodeURIComponent("notes ✓.txt") } });
      expect(raw.status, await raw.clone().text()).toBe(201);
      const first = (await raw.json()) as ArtifactView;
      expect(first).toMatchObject({ name: "notes ✓.txt", contentType: "text/plain", sizeBytes: Buffer.byteLength(text), sha256: sha(text), nodeId: null });

      const form = new FormData();
      form.set("nodeId", "out");
      form.set("file", new Blob(['{"a":1}'], { type: "application/json" }), "data.json");
      const multi = await api.rest.request(`/api/v1/executions/${executionId}/artifacts`, { method: "POST", headers: headers(owner), body: form });
      expect(multi.status, await multi.clone().text()).toBe(201);
      const second = (await multi.json()) as ArtifactView;
      expect(second).toMatchObject({ name: "data.json", contentType: "application/json", nodeId: "out", sha256: sha('{"a":1}') });

      const list = await rest<{ artifacts: ArtifactView[] }>("GET", `/api/v1/executions/${executionId}/artifacts`, { headers: headers(viewer) });
      expect(list.body.artifacts.map((a) => a.id)).toEqual([first.id, second.id]);
      const onStep = await rest<{ artifacts: ArtifactView[] }>("GET", `/api/v1/executions/${executionId}/artifacts?nodeId=out`, { headers: headers(viewer) });
      expect(onStep.body.artifacts.map((a) => a.id)).toEqual([second.id]);

      const download = await api.rest.request(first.downloadUrl, { headers: headers(viewer) });
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("text/plain");
      expect(download.headers.get("content-disposition")).toBe(`attachment; filename="notes _.txt"; filename*=UTF-8''${encodeURIComponent("notes ✓.txt")}`);
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      expect(download.headers.get("etag")).toBe(`"${sha(text)}"`);
      expect(await download.text()).toBe(text);
      const cached = await api.rest.request(first.downloadUrl, { headers: { ...headers(viewer), "if-none-match": `"${sha(text)}"` } });
      expect(cached.status).toBe(304);

      const events = await api.deps.executions.events(executionId);
      expect(events.filter((e) => e.type === "artifact_added").map((e) => e.data)).toEqual([
        { artifactId: first.id, name: "notes ✓.txt", contentType: "text/plain", size: Buffer.byteLength(text), sha256: sha(text) },
        { artifactId: second.id, name: "data.json", contentType: "application/json", size: 7, sha256: sha('{"a":1}'), nodeId: "out" },
      ]);

      expectRestError(await rest("DELETE", `/api/v1/executions/${executionId}/artifacts/${first.id}`, { headers: headers(viewer) }), 403, "FORBIDDEN");
      expect((await rest("DELETE", `/api/v1/executions/${executionId}/artifacts/${first.id}`, { headers: headers(owner) })).status).toBe(200);
      expect((await api.rest.request(first.downloadUrl, { headers: headers(owner) })).status).toBe(404);
      await expect(storage.get(`${ws}/${executionId}/${first.id}`)).rejects.toThrow();
      expect((await rest("DELETE", `/api/v1/executions/${executionId}/artifacts/${second.id}`, { headers: headers(owner) })).status).toBe(200);
      expect(await rowCount()).toBe(0);
    });

    it("415 for a type not allowed, 413 past the size limit while streaming (no length declared) and past the quota: nothing stored", async () => {
      const html = await upload("<script>alert(1)</script>", { headers: { "content-type": "text/html", "x-filename": "x.html" } });
      expect(html.status).toBe(415);
      expect(((await html.json()) as ErrorBody).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");

      const big = await upload(generatedBody(1024 * 1024 + 1, 64 * 1024), { headers: { "content-type": "application/octet-stream", "x-filename": "big.bin" } });
      expect(big.status).toBe(413);
      expect(((await big.json()) as ErrorBody).error.message).toContain("artifact limit");
      const declared = await upload("x".repeat(10), { headers: { "content-type": "text/plain", "x-filename": "a.txt", "content-length": String(5 * 1024 * 1024) } });
      expect(declared.status).toBe(413);

      const noName = await upload("abc", { headers: { "content-type": "text/plain" } });
      expect(noName.status).toBe(400);
      expect(((await noName.json()) as ErrorBody).error.path).toBe("name");
      expect(await rowCount()).toBe(0);
      expect(await storedUnderWorkspace()).toBe(0);

      // Quota 3 MB, limit 1 MB per file: three files of 1 MB fit, the fourth is refused while streaming.
      for (let i = 0; i < 3; i++) {
        const ok = await upload(generatedBody(1024 * 1024), { headers: { "content-type": "application/octet-stream", "x-filename": `part${i}.bin` } });
        expect(ok.status).toBe(201);
      }
      const over = await upload(generatedBody(10), { headers: { "content-type": "application/octet-stream", "x-filename": "one-too-many.bin" } });
      expect(over.status).toBe(413);
      expect(((await over.json()) as ErrorBody).error.message).toContain("quota");
      expect(await rowCount()).toBe(3);
      const stored = await api.deps.db.select({ id: artifacts.id, key: artifacts.storageKey }).from(artifacts).where(eq(artifacts.workspaceId, ws));
      for (const a of stored) await rest("DELETE", `/api/v1/executions/${executionId}/artifacts/${a.id}`, { headers: headers(owner) });
      expect(await storedUnderWorkspace()).toBe(0);
    });

    it("viewers download but cannot upload; another workspace's caller gets 404 everywhere and reads no bytes", async () => {
      const secret = "tenant A secret bytes";
      const created = (await (await upload(secret, { headers: { "content-type": "text/plain", "x-filename": "s.txt" } })).json()) as ArtifactView;
      const viewerUpload = await upload("v", { who: viewer, headers: { "content-type": "text/plain", "x-filename": "v.txt" } });
      expect(viewerUpload.status).toBe(403);
      const other = headers(stranger, wsOther);
      for (const [method, url] of [
        ["GET", created.downloadUrl],
        ["DELETE", created.downloadUrl],
        ["GET", `/api/v1/executions/${executionId}/artifacts`],
      ] as const) {
        const answer = await api.rest.request(url, { method, headers: other });
        expect(answer.status).toBe(404);
        expect(await answer.text()).not.toContain(secret);
      }
      const intrude = await upload("evil", { who: stranger, workspaceId: wsOther, headers: { "content-type": "text/plain", "x-filename": "e.txt" } });
      expect(intrude.status).toBe(404);
      expect(await rowCount()).toBe(1);
      const [execs] = await api.deps.db.select({ n: count() }).from(flowExecutions).where(eq(flowExecutions.workspaceId, wsOther));
      expect(execs!.n).toBe(0);
      await rest("DELETE", `/api/v1/executions/${executionId}/artifacts/${created.id}`, { headers: headers(owner) });
    });

    it("deleting a run's files by prefix removes exactly its bytes", async () => {
      for (const name of ["a.txt", "b.txt"]) await upload(name, { headers: { "content-type": "text/plain", "x-filename": name } });
      expect(await storage.deletePrefix(`${ws}/${executionId}/`)).toBe(2);
      expect(await storage.deletePrefix(`${ws}/${executionId}/`)).toBe(0);
      await api.deps.db.delete(artifacts).where(eq(artifacts.workspaceId, ws));
    });

    if (kind === "disk") {
      it("a 500 MB upload streams to storage with flat memory", async () => {
        api.deps.artifacts = { ...api.deps.artifacts, maxBytes: 600 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024 };
        const total = 500 * 1024 * 1024;
        const used = () => {
          const m = process.memoryUsage();
          return m.heapUsed + m.arrayBuffers;
        };
        global.gc?.();
        const start = used();
        let peak = start;
        const sampler = setInterval(() => {
          peak = Math.max(peak, used());
        }, 5);
        const answer = await upload(generatedBody(total), { headers: { "content-type": "application/octet-stream", "x-filename": "huge.bin" } });
        clearInterval(sampler);
        expect(answer.status).toBe(201);
        const view = (await answer.json()) as ArtifactView;
        expect(view.sizeBytes).toBe(total);
        const expected = createHash("sha256");
        const mb = Buffer.alloc(1024 * 1024, 0x61);
        for (let i = 0; i < 500; i++) expected.update(mb);
        expect(view.sha256).toBe(expected.digest("hex"));
        // The whole file would be 500 MB; streaming keeps the growth to a few chunks.
        expect(peak - start).toBeLessThan(64 * 1024 * 1024);
        console.log(`artifact upload: 500 MB streamed, peak heap+buffers growth ${((peak - start) / 1024 / 1024).toFixed(1)} MB`);
        await rest("DELETE", `/api/v1/executions/${executionId}/artifacts/${view.id}`, { headers: headers(owner) });
      }, 180_000);
    }
  });
}
