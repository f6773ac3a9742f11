import { describe, expect, it } from "vitest";
import { BLOCK_SIZE, freePosition } from "./placement";

const at = (x: number, y: number, measured?: { width: number; height: number }) => ({ position: { x, y }, measured });

describe("freePosition", () => {
  it("keeps the wanted position when nothing is there", () => {
    expect(freePosition([at(0, 0)], { x: 600, y: 0 })).toEqual({ x: 600, y: 0 });
  });

  it("moves below a block in the way, then above, never overlapping", () => {
    const first = freePosition([at(0, 0)], { x: 0, y: 0 });
    expect(first.x).toBe(0);
    expect(first.y).toBeGreaterThanOrEqual(BLOCK_SIZE.height);
    const second = freePosition([at(0, 0), at(first.x, first.y)], { x: 0, y: 0 });
    expect(second.y).toBeLessThan(0);
    expect(second.y + BLOCK_SIZE.height).toBeLessThanOrEqual(0);
  });

  it("respects measured sizes (a tall block pushes further down)", () => {
    const placed = freePosition([at(0, 0, { width: 224, height: 400 })], { x: 0, y: 100 });
    const overlaps = placed.y < 400 && placed.y + BLOCK_SIZE.height > 0;
    expect(overlaps).toBe(false);
  });
});
