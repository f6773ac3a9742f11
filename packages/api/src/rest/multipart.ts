import busboy from "busboy";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { AppError } from "../lib/errors";

export type UploadedFile = {
  /** Form fields sent before the file part. */
  fields: Record<string, string>;
  stream: Readable;
  filename: string;
  mimeType: string;
  /** The whole request body (destroy it to stop reading). */
  source: Readable;
};

/** The request body as a Node stream (empty when there is none). */
export const nodeBody = (request: Request): Readable =>
  request.body ? Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);

/**
 * The first file part of a `multipart/form-data` request, as a stream (busboy; nothing is buffered
 * beyond its chunks), with the fields that came before it. 400 when the form has no file.
 */
export function firstFilePart(request: Request): Promise<UploadedFile> {
  const source = nodeBody(request);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: Object.fromEntries(request.headers), limits: { files: 1, fields: 20, fieldSize: 4096 } });
    } catch (error) {
      reject(new AppError("BAD_REQUEST", `Invalid multipart form: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (_name, stream, info) => resolve({ fields, stream, filename: info.filename ?? "", mimeType: info.mimeType, source }));
    parser.on("error", (error) => reject(new AppError("BAD_REQUEST", `Invalid multipart form: ${(error as Error).message}`)));
    parser.on("close", () => reject(new AppError("BAD_REQUEST", "The form has no file part", { path: "file" })));
    source.on("error", (error) => parser.destroy(error));
    source.pipe(parser);
  });
}
