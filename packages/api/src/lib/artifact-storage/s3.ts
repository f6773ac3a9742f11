import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import type { ArtifactStorage } from "./index";

export type S3StorageOptions = {
  bucket: string;
  region?: string;
  /** An S3-compatible endpoint (MinIO, R2, a local test server); unset = AWS. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible servers. */
  forcePathStyle?: boolean;
  /** Prefix of every key in the bucket. */
  prefix?: string;
};

/**
 * Artifacts in an S3-compatible bucket through the AWS SDK: uploads are multipart and streamed
 * (`@aws-sdk/lib-storage`, 8 MB parts, at most 2 in flight), so memory stays flat for any size; an
 * upload whose stream fails is aborted and leaves no object.
 */
export function createS3Storage(options: S3StorageOptions): ArtifactStorage {
  const client = new S3Client({
    region: options.region ?? "us-east-1",
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  });
  const Bucket = options.bucket;
  const full = (key: string) => `${options.prefix ?? ""}${key}`;
  return {
    kind: "s3",
    async put(key, body, { contentType }) {
      const upload = new Upload({
        client,
        params: { Bucket, Key: full(key), Body: body, ContentType: contentType },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
        leavePartsOnError: false,
      });
      // A failing source stream must fail the upload (lib-storage would otherwise wait for more data).
      const failed = new Promise<never>((_, reject) => body.once("error", reject));
      try {
        await Promise.race([upload.done(), failed]);
      } catch (error) {
        await upload.abort().catch(() => undefined);
        await client.send(new DeleteObjectCommand({ Bucket, Key: full(key) })).catch(() => undefined);
        throw error;
      }
    },
    async get(key) {
      const result = await client.send(new GetObjectCommand({ Bucket, Key: full(key) }));
      if (!(result.Body instanceof Readable)) throw new Error(`no body for artifact ${key}`);
      return result.Body;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: full(key) }));
    },
    async deletePrefix(prefix) {
      let count = 0;
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: full(prefix), ContinuationToken: token }));
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (keys.length > 0) {
          await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
          count += keys.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return count;
    },
  };
}
