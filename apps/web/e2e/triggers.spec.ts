import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { openTriggerSection } from "./builder";
import { at, createFlow, edge, memberOf, node, ownerWithWorkspace, signedInOwner, signIn, snapshot } from "./support";

// Flow triggers in the builder's triggers sheet. The webhook: created in the panel, its URL shown once
// (copied from there), called over real HTTP, the call in the log with a link to its completed run;
// sync mode answers with the flow's output; rotation kills the old URL; disabling answers 404;
// signatures. Schedules: created with a live preview of the next five runs from the server, an
// invalid expression refused inline, disabled, deleted; a slot that fires shows in the history with
// its run. A viewer sees both panels but no controls.

// Tall enough that the whole side panel fits, for its screenshots.
test.use({ viewport: { width: 1400, height: 2200 } });

/** source -> function (echoes the webhook body's message) -> sink. */
const echo = {
  nodes: [
    node("in", "source", {}, at(0, 0)),
    node("shout", "function", { code: "return { echoed: String(input.trigger.body.message).toUpperCase() };" }, at(300, 0)),
    node("out", "sink", {}, at(600, 0)),
  ],
  edges: [edge("in", "shout"), edge("shout", "out")],
};

/** A screenshot of the triggers section alone, attached to the report. */
async function panelShot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.getByTestId("flow-triggers").screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** source -> function (returns the slot it ran for) -> sink. */
const onSchedule = {
  nodes: [
    node("in", "source", {}, at(0, 0)),
    node("when", "function", { code: "return { slot: input.trigger.slot, report: input.report ?? null };" }, at(300, 0)),
    node("out", "sink", {}, at(600, 0)),
  ],
  edges: [edge("in", "when"), edge("when", "out")],
};

const openWebhookPanel = (page: Page) => openTriggerSection(page, "trigger-webhook");

async function post(request: APIRequestContext, url: string, data: unknown, headers: Record<string, string> = {}) {
  return request.post(url, { data, headers });
}

test("an owner creates a webhook in the builder, calls it, follows the log to the run; sync, rotate, signatures, disable", async ({
  page,
  playwright,
  baseURL,
  request,
}, testInfo) => {
  const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Wanda Webhook");
  const flowId = await createFlow(api, workspaceId, "Echo", echo);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);

  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  // No trigger yet: the Start block offers to add one, which opens the triggers sheet.
  await page.getByTestId("badge-add-trigger").click();
  await expect(page.getByRole("dialog", { name: "Triggers" }).getByRole("heading", { name: "Flow triggers" })).toBeVisible();
  await expect(page.getByTestId("trigger-webhook").locator("summary")).toContainText("None");

  const panel = await openWebhookPanel(page);
  await panelShot(page, testInfo, "webhook-none");
  await panel.getByRole("button", { name: "Create webhook" }).click();

  // The URL, once: a note that says so, and a copy button that really copies it.
  const once = panel.getByTestId("webhook-url-once");
  await expect(once).toContainText("won't be shown again");
  const url = await once.getByTestId("webhook-url-once-value").inputValue();
  expect(url).toMatch(new RegExp(`^${baseURL}/api/webhooks/${flowId}/[A-Za-z0-9_-]{43}$`));
  await once.getByRole("button", { name: "Copy webhook url" }).click();
  await expect(once.getByRole("button", { name: "Copied webhook url" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  // The curl example carries the real URL while it is shown.
  await expect(panel.getByTestId("webhook-curl")).toContainText(`curl -X POST '${url}'`);
  await expect(panel.getByRole("switch", { name: "Accepts requests" })).toHaveAttribute("aria-checked", "true");
  await expect(panel.getByTestId("webhook-log-empty")).toBeVisible();
  await panelShot(page, testInfo, "webhook-created-url-once");

  // Called: 202 with the run's ids; the log shows the call (it refreshes on its own) with its run.
  const first = await post(request, url, { message: "hello" });
  expect(first.status(), await first.text()).toBe(202);
  const { executionId } = (await first.json()) as { executionId: string };
  const row = panel.getByTestId("webhook-invocation").first();
  await expect(row.getByTestId("webhook-invocation-status")).toHaveText("Status 202");
  await expect(row.getByTestId("webhook-invocation-execution")).toHaveAttribute("href", `/w/${workspaceId}/executions/${executionId}`);

  // A repeat of the same Idempotency-Key answers with the first run and is flagged in the log.
  const keyed = await post(request, url, { message: "once" }, { "Idempotency-Key": "order-42" });
  expect(keyed.status()).toBe(202);
  const repeat = await post(request, url, { message: "once" }, { "Idempotency-Key": "order-42" });
  expect(repeat.status()).toBe(202);
  expect(((await repeat.json()) as { executionId: string }).executionId).toBe(((await keyed.json()) as { executionId: string }).executionId);
  await expect(panel.getByTestId("webhook-invocation")).toHaveCount(3);
  await expect(panel.getByTestId("webhook-invocation").first().getByTestId("webhook-invocation-deduplicated")).toBeVisible();
  await expect(panel.getByTestId("webhook-invocation").nth(1).getByTestId("webhook-invocation-deduplicated")).toHaveCount(0);
  // Newest first: the plain call is the oldest.
  await expect(panel.getByTestId("webhook-invocation").last().getByTestId("webhook-invocation-execution")).toHaveAttribute(
    "href",
    `/w/${workspaceId}/executions/${executionId}`,
  );

  // Once dismissed, the URL is masked and the curl example has a placeholder for the secret.
  await once.getByRole("button", { name: "Done" }).click();
  await expect(once).toHaveCount(0);
  await expect(panel.getByTestId("webhook-url-masked")).toContainText(`/api/webhooks/${flowId}/`);
  await expect(panel.getByTestId("webhook-url-masked")).not.toContainText(url);
  await expect(panel.getByTestId("webhook-curl")).toContainText(`/api/webhooks/${flowId}/<secret>`);
  await panelShot(page, testInfo, "webhook-log");

  // The log's link leads to the completed run, triggered by the webhook.
  await panel.getByTestId("webhook-invocation").last().getByTestId("webhook-invocation-execution").click();
  await expect(page).toHaveURL(new RegExp(`/w/${workspaceId}/executions/${executionId}$`));
  await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(page.locator("dt", { hasText: /^Trigger$/ }).locator("xpath=following-sibling::dd")).toHaveText("Webhook");
  await snapshot(page, testInfo, "webhook-run");

  // Sync mode: the call waits and answers 200 with the flow's output.
  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  await openWebhookPanel(page);
  await panel.getByLabel("Response", { exact: true }).selectOption("sync");
  await expect(panel.getByLabel("Sync timeout (ms)")).toHaveValue("30000");
  await panel.getByRole("button", { name: "Save settings" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  const sync = await post(request, url, { message: "sync please" });
  expect(sync.status(), await sync.text()).toBe(200);
  expect(await sync.json()).toEqual({ echoed: "SYNC PLEASE" });
  await expect(panel.getByTestId("webhook-invocation").first().getByTestId("webhook-invocation-status")).toHaveText("Status 200");

  // A bad setting is refused by the server, next to its field.
  await panel.getByLabel("Rate limit (requests per minute)").fill("0");
  await panel.getByRole("button", { name: "Save settings" }).click();
  await expect(panel.getByLabel("Rate limit (requests per minute)")).toHaveAttribute("aria-invalid", "true");
  await panel.getByLabel("Rate limit (requests per minute)").fill("120");
  await panel.getByRole("button", { name: "Save settings" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(panel.getByLabel("Rate limit (requests per minute)")).not.toHaveAttribute("aria-invalid", "true");

  // Rotate, after a confirmation: the old URL stops working at once, the new one (shown once) works.
  await panel.getByRole("button", { name: "Rotate URL" }).click();
  const confirm = page.getByRole("dialog", { name: "Rotate the webhook URL?" });
  await expect(confirm).toContainText("The old URL stops working at once");
  await confirm.getByRole("button", { name: "Rotate URL" }).click();
  await expect(confirm).toBeHidden();
  const rotated = await panel.getByTestId("webhook-url-once-value").inputValue();
  expect(rotated).not.toBe(url);
  expect(rotated).toMatch(new RegExp(`^${baseURL}/api/webhooks/${flowId}/[A-Za-z0-9_-]{43}$`));
  expect((await post(request, url, { message: "old" })).status()).toBe(404);
  const fresh = await post(request, rotated, { message: "new" });
  expect(fresh.status(), await fresh.text()).toBe(200);
  expect(await fresh.json()).toEqual({ echoed: "NEW" });

  // Signatures: the whsec_ secret is shown once; unsigned calls then answer 401 (logged); turned off again.
  await panel.getByRole("button", { name: "Require signatures" }).click();
  const signingOnce = panel.getByTestId("webhook-signing-secret-once");
  await expect(signingOnce.getByTestId("webhook-signing-secret-once-value")).toHaveValue(/^whsec_[A-Za-z0-9+/=]{40,}$/);
  await expect(signingOnce).toContainText("won't be shown again");
  await expect(panel.getByTestId("webhook-signing-status")).toHaveText("Required");
  await panelShot(page, testInfo, "webhook-signing-secret-once");
  const unsigned = await post(request, rotated, { message: "unsigned" });
  expect(unsigned.status()).toBe(401);
  await expect(panel.getByTestId("webhook-invocation").first().getByTestId("webhook-invocation-status")).toHaveText("Status 401");
  await expect(panel.getByTestId("webhook-invocation").first()).toContainText("requires signed requests");
  await signingOnce.getByRole("button", { name: "Done" }).click();
  await expect(signingOnce).toHaveCount(0);
  await panel.getByRole("button", { name: "Stop requiring" }).click();
  await expect(panel.getByTestId("webhook-signing-status")).toHaveText("Off");

  // Disabled: the URL answers 404; enabled again, it works.
  const enabled = panel.getByRole("switch", { name: "Accepts requests" });
  await enabled.click();
  await expect(enabled).toHaveAttribute("aria-checked", "false");
  await expect(page.getByTestId("trigger-webhook").locator("summary")).toContainText("Disabled");
  expect((await post(request, rotated, { message: "off" })).status()).toBe(404);
  await panelShot(page, testInfo, "webhook-disabled");
  await enabled.press("Space");
  await expect(enabled).toHaveAttribute("aria-checked", "true");
  expect((await post(request, rotated, { message: "on" })).status()).toBe(200);
  await api.dispose();
});

test("a viewer sees the webhook's settings and log but no controls to change it", async ({ page, playwright, baseURL, request }, testInfo) => {
  const { api, workspaceId } = await ownerWithWorkspace(playwright, baseURL, "Oscar Owner");
  const flowId = await createFlow(api, workspaceId, "Echo", echo);
  const withoutWebhook = await createFlow(api, workspaceId, "No hook", echo);
  const configured = await api.post(`/api/v1/flows/${flowId}/webhook`, { headers: { "x-weft-workspace": workspaceId }, data: {} });
  expect(configured.status(), await configured.text()).toBe(200);
  const { path } = (await configured.json()) as { path: string };
  const call = await post(request, path, { message: "from the owner" });
  expect(call.status(), await call.text()).toBe(202);
  const scheduled = await api.post(`/api/v1/flows/${flowId}/schedules`, {
    headers: { "x-weft-workspace": workspaceId },
    data: { cron: "0 9 * * 1-5", timezone: "Europe/Berlin", overlapPolicy: "queue_one" },
  });
  expect(scheduled.status(), await scheduled.text()).toBe(201);

  const viewer = await memberOf(playwright, baseURL, api, workspaceId, "Vera Viewer", "viewer");
  await signIn(page, viewer);

  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  await expect(page.locator(".react-flow__node")).toHaveCount(3);
  const panel = await openWebhookPanel(page);
  await expect(panel.getByTestId("webhook-enabled-badge")).toHaveText("Enabled");
  await expect(panel.getByTestId("webhook-url-masked")).toBeVisible();
  await expect(panel.getByTestId("webhook-settings-view")).toContainText("Async (202 at once)");
  await expect(panel.getByTestId("webhook-settings-view")).toContainText("60 requests per minute");
  await expect(panel.getByTestId("webhook-invocation")).toHaveCount(1);
  await expect(panel.getByTestId("webhook-invocation").first().getByTestId("webhook-invocation-status")).toHaveText("Status 202");
  await expect(panel.getByTestId("webhook-invocation-execution")).toBeVisible();
  for (const name of ["Create webhook", "Rotate URL", "Save settings", "Require signatures", "Rotate secret", "Stop requiring"]) {
    await expect(panel.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(panel.getByRole("switch")).toHaveCount(0);
  for (const role of ["textbox", "spinbutton", "combobox"] as const) await expect(panel.getByRole(role)).toHaveCount(0);

  // The schedules: listed with their settings and history, nothing to change them with.
  const schedules = await openTriggerSection(page, "trigger-schedules");
  const item = schedules.getByTestId("schedule");
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId("schedule-cron")).toHaveText("0 9 * * 1-5");
  await expect(item.getByTestId("schedule-timezone")).toHaveText("Europe/Berlin");
  await expect(item).toContainText("Queue one run");
  await expect(item.getByTestId("schedule-next-run").locator("time")).toBeVisible();
  await item.getByRole("button", { name: "History" }).click();
  await expect(item.getByTestId("schedule-slots-empty")).toBeVisible();
  for (const name of ["New schedule", "Edit", "Delete"]) await expect(schedules.getByRole("button", { name })).toHaveCount(0);
  await expect(schedules.getByRole("switch")).toHaveCount(0);
  await panelShot(page, testInfo, "webhook-and-schedules-viewer");

  // A flow without a webhook: the viewer is told, not offered to create one.
  await page.goto(`/w/${workspaceId}/flows/${withoutWebhook}`);
  const empty = await openWebhookPanel(page);
  await expect(empty).toContainText("No webhook yet");
  await expect(empty.getByRole("button", { name: "Create webhook" })).toHaveCount(0);
  await viewer.dispose();
  await api.dispose();
});

test.describe("schedules", () => {
  // A browser in New York: the time zone field starts there, whatever the machine's zone.
  test.use({ timezoneId: "America/New_York" });

  test("an owner adds a schedule with a live preview of its next five runs, disables it and deletes it", async ({ page, playwright, baseURL }, testInfo) => {
    const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Sven Schedule");
    const flowId = await createFlow(api, workspaceId, "Every five", onSchedule);

    await page.goto(`/w/${workspaceId}/flows/${flowId}`);
    await expect(page.locator(".react-flow__node")).toHaveCount(3);
    const panel = await openTriggerSection(page, "trigger-schedules");
    await expect(panel.locator("summary")).toContainText("None");
    await expect(panel.getByTestId("schedules-empty")).toBeVisible();
    await panel.getByRole("button", { name: "New schedule" }).click();
    const form = panel.getByRole("form", { name: "New schedule" });
    await expect(form.getByLabel("Time zone")).toHaveValue("America/New_York");

    // An invalid expression: the server's reason, inline, and no preview.
    const cron = form.getByLabel("Cron expression");
    await cron.fill("61 * * * *");
    await expect(cron).toHaveAttribute("aria-invalid", "true");
    await expect(form).toContainText("Invalid cron expression");
    await expect(form.getByTestId("schedule-preview")).toHaveCount(0);

    // A valid one in Berlin: five runs, five minutes apart, shown in Berlin time; the error is gone.
    await cron.fill("*/5 * * * *");
    await form.getByLabel("Time zone").fill("Europe/Berlin");
    const runs = form.getByTestId("schedule-preview").locator("time");
    await expect(runs).toHaveCount(5);
    await expect(cron).not.toHaveAttribute("aria-invalid", "true");
    await expect(runs.first()).toHaveText(/GMT\+[12]/);
    const instants = (await runs.evaluateAll((els) => els.map((el) => el.getAttribute("datetime")))).map((iso) => new Date(iso!).getTime());
    for (const [i, t] of instants.entries()) {
      expect(new Date(t).getUTCMinutes() % 5).toBe(0);
      if (i > 0) expect(t - instants[i - 1]!).toBe(5 * 60_000);
    }
    await form.getByLabel("If the previous run is still going").selectOption("allow");
    await form.getByLabel("Missed slots (after downtime)").selectOption("all");
    await form.getByLabel("Window (min)").fill("30");
    await form.getByLabel("At most (runs)").fill("3");
    await form.getByLabel("Run input (JSON object, optional)").fill('{"report": "weekly"}');
    await panelShot(page, testInfo, "schedule-form-preview");
    await form.getByRole("button", { name: "Create schedule" }).click();
    await expect(form).toHaveCount(0);

    const item = panel.getByTestId("schedule");
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId("schedule-cron")).toHaveText("*/5 * * * *");
    await expect(item.getByTestId("schedule-timezone")).toHaveText("Europe/Berlin");
    await expect(item).toContainText("Run anyway (overlap)");
    await expect(item).toContainText("Run all within a window (30 min, at most 3)");
    await expect(item).toContainText('{"report":"weekly"}');
    const next = new Date((await item.getByTestId("schedule-next-run").locator("time").getAttribute("datetime"))!);
    expect(next.getUTCMinutes() % 5).toBe(0);
    // The first slot after creation: the preview's first, or its second if a slot passed meanwhile.
    expect(instants.slice(0, 2)).toContain(next.getTime());
    await expect(panel.locator("summary")).toContainText("1 on");
    await panelShot(page, testInfo, "schedule-created");

    // Disabled: no next run. Enabled again from the keyboard: a next run again.
    const enabled = item.getByRole("switch", { name: "Schedule */5 * * * * enabled" });
    await enabled.click();
    await expect(enabled).toHaveAttribute("aria-checked", "false");
    await expect(item.getByTestId("schedule-next-run")).toHaveText("None (disabled)");
    await expect(panel.locator("summary")).toContainText("Disabled");
    await panelShot(page, testInfo, "schedule-disabled");
    const listed = await api.get(`/api/v1/flows/${flowId}/schedules`, { headers: { "x-weft-workspace": workspaceId } });
    expect(((await listed.json()) as { schedules: { enabled: boolean; nextRunAt: string | null }[] }).schedules).toEqual([
      expect.objectContaining({ enabled: false, nextRunAt: null }),
    ]);

    // Edited: the form starts from the saved settings.
    await item.getByRole("button", { name: "Edit schedule */5 * * * *" }).click();
    const edit = panel.getByRole("form", { name: "Edit schedule */5 * * * *" });
    await expect(edit.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
    await expect(edit.getByTestId("schedule-preview").locator("time")).toHaveCount(5);
    await edit.getByLabel("Cron expression").fill("0 * * * *");
    await edit.getByRole("button", { name: "Save schedule" }).click();
    await expect(edit).toHaveCount(0);
    await expect(item.getByTestId("schedule-cron")).toHaveText("0 * * * *");

    // Deleted, after a confirmation.
    await item.getByRole("button", { name: "Delete schedule 0 * * * *" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete schedule 0 * * * *?" });
    await confirm.getByRole("button", { name: "Delete schedule" }).click();
    await expect(confirm).toBeHidden();
    await expect(panel.getByTestId("schedule")).toHaveCount(0);
    await expect(panel.getByTestId("schedules-empty")).toBeVisible();
    await api.dispose();
  });

  test("a slot that fires shows in the schedule's history with its run, triggered by the schedule", async ({ page, playwright, baseURL }, testInfo) => {
    // Waits for the next whole minute: the scheduler fires real slots only (within the 3 minutes a test has).
    const { api, workspaceId } = await signedInOwner(page, playwright, baseURL, "Mia Minute");
    const flowId = await createFlow(api, workspaceId, "Every minute", onSchedule);
    const created = await api.post(`/api/v1/flows/${flowId}/schedules`, {
      headers: { "x-weft-workspace": workspaceId },
      data: { cron: "* * * * *", timezone: "UTC", input: { report: "minutely" } },
    });
    expect(created.status(), await created.text()).toBe(201);

    await page.goto(`/w/${workspaceId}/flows/${flowId}`);
    const panel = await openTriggerSection(page, "trigger-schedules");
    const item = panel.getByTestId("schedule");
    await item.getByRole("button", { name: "History" }).click();
    await expect(item.getByRole("button", { name: "History" })).toHaveAttribute("aria-expanded", "true");
    const slot = item.getByTestId("schedule-slot").first();
    await expect(slot).toHaveAttribute("data-outcome", "started", { timeout: 90_000 });
    await expect(slot.getByTestId("schedule-slot-execution")).toContainText("(completed)", { timeout: 20_000 });
    await panelShot(page, testInfo, "schedule-history");

    const slotAt = await slot.locator("time").getAttribute("datetime");
    await slot.getByTestId("schedule-slot-execution").click();
    await expect(page.getByTestId("execution-status")).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
    await expect(page.locator("dt", { hasText: /^Trigger$/ }).locator("xpath=following-sibling::dd")).toHaveText("Schedule");
    const executionId = page.url().split("/").at(-1)!;
    const run = await api.get(`/api/v1/executions/${executionId}`, { headers: { "x-weft-workspace": workspaceId } });
    expect(run.status()).toBe(200);
    expect(((await run.json()) as { output: unknown }).output).toEqual({ slot: slotAt, report: "minutely" });
    await snapshot(page, testInfo, "schedule-run");
    await api.dispose();
  });
});
