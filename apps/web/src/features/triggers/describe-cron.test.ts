import { describe, expect, it } from "vitest";
import { describeCron } from "./describe-cron";

describe("describeCron", () => {
  it("says a schedule in words", () => {
    expect(describeCron("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeCron("0 9 * * 1-5")).toBe("At 09:00, Monday through Friday");
    expect(describeCron("@daily")).toBe("At 00:00");
  });
  it("is null for what it cannot read, never a parser message", () => {
    expect(describeCron("61 * * * *")).toBeNull();
    expect(describeCron("every day")).toBeNull();
    expect(describeCron("")).toBeNull();
  });
});
