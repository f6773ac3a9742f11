import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlCommand, sampleBody, shellQuote } from "./sample-body";

describe("sampleBody", () => {
  it("fills every property of the schema, required ones included, using examples, enums and formats", () => {
    const schema = {
      type: "object",
      required: ["n", "plan"],
      properties: {
        n: { type: "integer", minimum: 3 },
        plan: { type: "string", enum: ["pro", "free"] },
        email: { type: "string", format: "email" },
        city: { type: "string", examples: ["Berlin"] },
      },
    };
    expect(sampleBody(schema)).toEqual({ n: 3, plan: "pro", email: "user@example.com", city: "Berlin" });
  });
  it("without a schema any body will do", () => {
    expect(sampleBody(null)).toEqual({ hello: "world" });
  });
});

describe("curlCommand", () => {
  it("quotes the body for the shell, single quotes included", () => {
    const body = { note: "it's 'quoted'" };
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    const command = curlCommand("http://127.0.0.1:1/x", body);
    // What the shell passes to curl as -d is exactly the JSON.
    const words = execFileSync("sh", ["-c", `printf '%s\\n' ${command.split("-d ")[1]}`], { encoding: "utf8" });
    expect(JSON.parse(words)).toEqual(body);
  });
});
