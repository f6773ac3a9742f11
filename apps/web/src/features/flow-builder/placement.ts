import type { XYPosition } from "@xyflow/react";

/** A block's box on the canvas when React Flow has not measured it yet (cards are w-56). */
export const BLOCK_SIZE = { width: 224, height: 96 } as const;
/** Space kept between a new block and its neighbours. */
const GAP = 32;
/** How far right of its source a block added from a "+" goes. */
export const NEXT_BLOCK_DX = BLOCK_SIZE.width + 96;

type Placed = { position: XYPosition; measured?: { width?: number; height?: number } };

const boxOf = (node: Placed) => ({
  x: node.position.x,
  y: node.position.y,
  width: node.measured?.width ?? BLOCK_SIZE.width,
  height: node.measured?.height ?? BLOCK_SIZE.height,
});

/** Whether a new block at `at` would touch (within GAP) any of the nodes. */
function collides(nodes: readonly Placed[], at: XYPosition): boolean {
  return nodes.some((node) => {
    const b = boxOf(node);
    return at.x < b.x + b.width + GAP && at.x + BLOCK_SIZE.width + GAP > b.x && at.y < b.y + b.height + GAP && at.y + BLOCK_SIZE.height + GAP > b.y;
  });
}

/**
 * Where a new block goes: `wanted` if it overlaps nothing there, else the nearest free slot going
 * down then up from it in steps of one block height (so blocks added after the same output stack
 * into a column instead of landing on each other), else further right.
 */
export function freePosition(nodes: readonly Placed[], wanted: XYPosition): XYPosition {
  const step = BLOCK_SIZE.height + GAP;
  for (let column = 0; column < 20; column++) {
    const x = wanted.x + column * (BLOCK_SIZE.width + GAP);
    for (let i = 0; i < 40; i++) {
      // 0, +1, -1, +2, -2, ...
      const offset = i === 0 ? 0 : i % 2 === 1 ? (i + 1) / 2 : -(i / 2);
      const at = { x, y: wanted.y + offset * step };
      if (!collides(nodes, at)) return at;
    }
  }
  return wanted;
}
