import path from "node:path";
import { DEFAULT_ARTIFACT_CONTENT_TYPES } from "../../services/artifacts/content-types";
import type { ArtifactSettings } from "../context";
import { createDiskStorage } from "./disk";
import { createS3Storage, type S3StorageOptions } from "./s3";

/**
 * Artifact storage and limits from configuration: an S3-compatible bucket when `s3.bucket` is set,
 * else the folder `<dataDir>/artifacts`.
 */
export function createArtifactSettings(config: {
  dataDir: string;
  maxBytes: number;
  quotaBytes: number;
  contentTypes?: readonly string[];
  s3?: Partial<S3StorageOptions>;
}): ArtifactSettings {
  const { s3 } = config;
  const storage = s3?.bucket ? createS3Storage({ ...s3, bucket: s3.bucket }) : createDiskStorage(path.join(config.dataDir, "artifacts"));
  return {
    storage,
    maxBytes: config.maxBytes,
    quotaBytes: config.quotaBytes,
    allowedTypes: config.contentTypes?.length ? config.contentTypes : DEFAULT_ARTIFACT_CONTENT_TYPES,
  };
}
