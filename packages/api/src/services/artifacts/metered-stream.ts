import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";

/** The stream grew past its limit (the upload is refused with 413 and nothing is kept). */
export class ByteLimitError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/**
 * Passes `source` through, counting bytes and hashing them (SHA-256); fails with ByteLimitError as
 * soon as more than `limit` bytes went by, so an oversized upload is cut off while streaming.
 * Backpressure is kept: nothing is buffered beyond the stream's high-water marks.
 */
export function meterStream(source: Readable, limit: number) {
  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) return callback(new ByteLimitError(limit));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  source.once("error", (error) => meter.destroy(error));
  meter.once("error", () => source.destroy());
  source.pipe(meter);
  return {
    stream: meter as Readable,
    /** Size and hex SHA-256 once the stream has ended. */
    result: () => ({ sizeBytes: bytes, sha256: hash.digest("hex") }),
  };
}
