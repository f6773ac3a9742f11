import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { ArtifactStorage } from "./index";

/** Artifacts as files under `root`: written to a temporary name, renamed into place once complete. */
export function createDiskStorage(root: string): ArtifactStorage {
  const resolve = (key: string) => {
    const file = path.resolve(root, key);
    if (!file.startsWith(path.resolve(root) + path.sep)) throw new Error(`artifact key outside the storage folder: ${key}`);
    return file;
  };
  return {
    kind: "disk",
    async put(key, body) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.${randomUUID()}.partial`;
      try {
        await pipeline(body, createWriteStream(partial, { flags: "wx" }));
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async get(key) {
      const file = resolve(key);
      await stat(file);
      return createReadStream(file);
    },
    async delete(key) {
      await unlink(resolve(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    },
    async deletePrefix(prefix) {
      const dir = resolve(prefix.replace(/\/+$/, ""));
      const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
      const count = files.filter((f) => f.isFile() && !f.name.endsWith(".partial")).length;
      await rm(dir, { recursive: true, force: true });
      return count;
    },
  };
}
