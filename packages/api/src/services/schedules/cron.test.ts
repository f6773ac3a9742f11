import { describe, expect, it } from "vitest";
import { cronProblem } from "./cron";

describe("cronProblem", () => {
  it("accepts five-part expressions with ranges, lists, steps and names, and nicknames", () => {
    for (const ok of ["*/15 * * * *", "0 9 * * 1-5", "0 9 * * MON-FRI", "1,2,3 * * * *", "0 9 * JAN,DEC *", "0 0 L * *", "@daily", "@hourly"]) {
      expect(cronProblem(ok), ok).toBeNull();
    }
  });
  it("says what is wrong in words, never in the parser's own text (whose numbers are off by one)", () => {
    const cases: Array<[string, string]> = [
      ["61 * * * *", "the minute must be 0-59, not 61"],
      ["0 25 * * *", "the hour must be 0-23, not 25"],
      ["0 0 32 * *", "the day of month must be 1-31, not 32"],
      ["0 0 * 13 *", "the month must be 1-12, not 13"],
      ["0 0 * * 8", "the day of week must be 0-7, not 8"],
      ["*/0 * * * *", 'the minute step "/0" must be a whole number of at least 1'],
      ["a b c d e", 'the minute "a" is not a number'],
      ["every day", "use 5 parts"],
      ["0 * * * * *", "this one has 6 parts"],
      ["@nope", "is not a cron expression this scheduler understands"],
    ];
    for (const [expression, message] of cases) {
      const problem = cronProblem(expression);
      expect(problem, expression).toContain(message);
      expect(problem).not.toMatch(/CronPattern|configuration entry|illegal/);
    }
  });
});
