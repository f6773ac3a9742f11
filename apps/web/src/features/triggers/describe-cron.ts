import cronstrue from "cronstrue";

/**
 * A cron expression in words ("At 09:00, Monday through Friday"), or null when it cannot be read (the
 * server's preview then says what is wrong). 24-hour times, as the preview shows them.
 */
export function describeCron(expression: string): string | null {
  const trimmed = expression.trim();
  if (trimmed === "") return null;
  try {
    return cronstrue.toString(trimmed, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}
