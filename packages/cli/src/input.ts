import fs from "node:fs";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** `--input '{"n":1}'` or `--input @file.json`; absent = `{}`. */
export function readInput(value: string | undefined): unknown {
  if (value === undefined) return {};
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = fs.readFileSync(value.slice(1), "utf8");
    } catch (error) {
      throw new UsageError(`--input: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--input: not JSON: ${(error as Error).message}`);
  }
}

/** The file's text, or a usage error naming it. */
export function readFlowText(file: string): { text: string; format: "yaml" | "json" } {
  try {
    return { text: fs.readFileSync(file, "utf8"), format: file.endsWith(".json") ? "json" : "yaml" };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
