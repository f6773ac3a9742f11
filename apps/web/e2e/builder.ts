import { expect, type Page, type TestInfo } from "@playwright/test";

// The flow builder's parts, as the specs that drive it find them: the full-bleed canvas with its
// blocks, the palette (each block a button named by its label and description), the inspector on
// the right (Config and Output tabs), the save status, and the triggers sheet.

export const canvasNode = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
export const liveNode = (page: Page, id: string) => page.locator(`[data-testid="live-node"][data-node-id="${id}"]`);
export const inspector = (page: Page) => page.getByRole("complementary", { name: "Inspector" });
export const saveStatus = (page: Page) => page.getByRole("status", { name: "Save status" });
export const palette = (page: Page) => page.getByRole("navigation", { name: "Blocks" });
/** A palette entry by its label ("Function", "Delay"): its accessible name is the label, then the description. */
export const paletteBlock = (page: Page, label: string) => palette(page).getByRole("button", { name: new RegExp(`^${label} `) });

/** Opens a flow in the builder and waits for its blocks. */
export async function openBuilder(page: Page, workspaceId: string, flowId: string, blocks: number) {
  await page.goto(`/w/${workspaceId}/flows/${flowId}`);
  await expect(page.locator(".react-flow__node")).toHaveCount(blocks);
}

/** Closes the inspector if it is open (it takes the right of the window and may cover blocks there). */
export async function closeInspector(page: Page) {
  const close = inspector(page).getByRole("button", { name: "Close the inspector" });
  if (await close.isVisible()) await close.click();
  await expect(inspector(page)).toHaveCount(0);
}

/** Opens a block in the inspector, closing it first as a user would when it covers the block. */
export async function openBlock(page: Page, id: string) {
  await closeInspector(page);
  await canvasNode(page, id).click();
  await expect(inspector(page)).toBeVisible();
}

/** The builder's triggers sheet (opened from the header's Triggers button), then one of its sections. */
export async function openTriggerSection(page: Page, testId: "trigger-webhook" | "trigger-schedules") {
  if (!(await page.getByTestId("trigger-sheet").isVisible())) await page.getByRole("button", { name: "Triggers", exact: true }).click();
  const section = page.getByTestId(testId);
  await section.locator("summary").click();
  await expect(section).toHaveAttribute("open", "");
  return section;
}

/** A screenshot of the window as it is (not the full page), attached to the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}
