import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { openTriggerSection } from "./builder";
import { at, createFlow, edge, node, signedInOwner, snapshot } from "./support";

// Issue 12, problem 4 and the trigger panels' content. A flow whose Start block requires `n`:
// the webhook panel's "Try it" command, run as shown in a real shell, starts a run that completes
// (the body's fields are the run input); a schedule saved without `n` is refused naming the field.
// The schedule form: the browser's time zone by default, a searchable zone list, the cron in words
// and problems in words (never the parser's text).

test.use({ viewport: { width: 1400, height: 2200 } });

const needsN = {
  nodes: [
    node("in", "source", { inputSchema: { type: "object", required: ["n"], properties: { n: { type: "integer", minimum: 2 } } } }, at(0, 0)),
    node("double", "function", { code: "return { doubled: input.n * 2 };" }, at(300, 0)),
    node("out", "sink", {}, at(600, 0)),
  ],
  edges: [edge("in", "double"), edge("double", "out")],
};

test("the webhook panel's curl, run as shown, passes the Start block's schema and the run completes", async ({ page, playwright, baseURL }, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Tina Tryit");
  const flowId = await createFlow(api, workspaceId, "Doubler", needsN);
  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  const panel = await openTriggerSection(page, "trigger-webhook");
  await panel.getByRole("button", { name: "Create webhook" }).click();
  await expect(panel.getByTestId("webhook-url-once")).toBeVisible();
  await expect(panel.getByTestId("webhook-body-rule")).toContainText("checked against the Start block's input schema");

  const command = (await panel.getByTestId("webhook-curl").textContent())!;
  expect(command).toContain('"n":2');
  // The exact command the panel shows, in a real shell.
  const answer = JSON.parse(execFileSync("sh", ["-c", `${command} --silent --show-error`], { encoding: "utf8" })) as { executionId?: string; error?: unknown };
  expect(answer.error, JSON.stringify(answer)).toBeUndefined();
  expect(answer.executionId).toMatch(/^[0-9a-f-]{36}$/);
  await snapshot(page, testInfo, "webhook-try-it");

  await page.goto(`/w/${workspaceId}/executions/${answer.executionId}`);
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(page.getByTestId("execution-output")).toContainText('"doubled": 4');

  // A body without `n` is refused naming the field, and nothing runs.
  const url = command.match(/'(http[^']+)'/)![1]!;
  const refused = await api.post(url, { data: { m: 1 } });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { path: string } }).error.path).toBe("body.n");
  await api.dispose();
});

test.describe("schedules", () => {
  test.use({ timezoneId: "Asia/Tokyo" });

  test("the form starts in the browser's zone, searches zones, says the cron in words, and refuses input the schema rejects", async ({ page, playwright, baseURL }, testInfo) => {
    const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Sam Slot");
    const flowId = await createFlow(api, workspaceId, "Nightly doubler", needsN);
    await page.goto(`/w/${workspaceId}/flows/${flowId}`);
    const panel = await openTriggerSection(page, "trigger-schedules");
    await panel.getByRole("button", { name: "New schedule" }).click();
    const form = panel.getByRole("form", { name: "New schedule" });

    const zone = form.getByLabel("Time zone");
    await expect(zone).toHaveValue("Asia/Tokyo");
    await expect(form).toContainText("Your time zone, GMT+09:00");
    // Searchable: the field offers every zone the browser knows as suggestions.
    const listId = (await zone.getAttribute("list"))!;
    const options = page.locator(`datalist[id="${listId}"] option`);
    expect(await options.count()).toBeGreaterThan(300);
    await expect(page.locator(`datalist[id="${listId}"] option[value="America/Sao_Paulo"]`)).toHaveCount(1);

    const cron = form.getByLabel("Cron expression");
    await cron.fill("0 9 * * 1-5");
    await expect(form.getByTestId("cron-description")).toHaveText("At 09:00, Monday through Friday");
    await expect(form.getByTestId("schedule-preview").locator("time")).toHaveCount(5);
    await expect(form.getByTestId("schedule-preview").locator("time").first()).toContainText("09:00");

    // Problems in words, not the parser's text.
    await cron.fill("0 25 * * *");
    await expect(form).toContainText("the hour must be 0-23, not 25");
    await expect(form).not.toContainText("CronPattern");
    await zone.fill("Mars/Olympus");
    await expect(form).toContainText("Pick a time zone from the list");
    await zone.fill("Europe/Berlin");
    await cron.fill("0 9 * * 1-5");
    await expect(form.getByTestId("schedule-preview").locator("time")).toHaveCount(5);

    // No input: the Start block needs `n`, so the save is refused naming the field, at the field.
    await form.getByRole("button", { name: "Create schedule" }).click();
    const input = form.getByLabel("Run input (JSON object, optional)");
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(form).toContainText("input.n: must have required property 'n'");
    await snapshot(page, testInfo, "schedule-input-refused");
    await input.fill('{"n": 21}');
    await form.getByRole("button", { name: "Create schedule" }).click();
    await expect(form).toHaveCount(0);
    await expect(panel.getByTestId("schedule")).toHaveCount(1);
    await expect(panel.getByTestId("schedule-timezone")).toHaveText("Europe/Berlin");
    await api.dispose();
  });
});
