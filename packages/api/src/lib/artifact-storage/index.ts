import type { Readable } from "node:stream";

/**
 * Where artifact bytes live: a folder on disk (default, `WEFT_DATA_DIR/artifacts`) or an S3-compatible
 * bucket (`WEFT_S3_*`). Bytes are always streamed; nothing here holds a whole file in memory. Keys are
 * `<workspaceId>/<executionId>/<artifactId>`, so a run's or a workspace's files share a prefix.
 */
export interface ArtifactStorage {
  readonly kind: "disk" | "s3";
  /** Writes the stream under `key`; when the stream errors nothing is left under the key. */
  put(key: string, body: Readable, options: { contentType: string }): Promise<void>;
  /** The bytes under `key` (throws when missing). */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Deletes every key under a prefix (a run's or a workspace's files); returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}

export { createDiskStorage } from "./disk";
export { createS3Storage, type S3StorageOptions } from "./s3";
