import { createElement } from "react";
import { Bot, Clock, Code2, Flag, Globe, Hand, Play, Repeat, Split, Waypoints, type LucideIcon } from "lucide-react";
import { isBlockType, type BlockCategory, type BlockType } from "@weft/flow";

/** One icon per block type (palette, quick-add, canvas cards, live view). */
export const blockIcons: Record<BlockType, LucideIcon> = {
  source: Play,
  sink: Flag,
  function: Code2,
  router: Split,
  parallel: Waypoints,
  loop: Repeat,
  http: Globe,
  ai: Bot,
  approval: Hand,
  delay: Clock,
};

export const blockIcon = (type: string): LucideIcon => (isBlockType(type) ? blockIcons[type] : Code2);

/** A block type's icon (decorative: the block's name is always beside it). */
export function BlockIcon({ type, className }: { type: string; className?: string }) {
  return createElement(blockIcon(type), { className, "aria-hidden": true });
}

/** Palette sections, in order (io blocks are not in the palette: every flow has its Start and End). */
export const paletteCategories: readonly { category: Exclude<BlockCategory, "io">; label: string }[] = [
  { category: "ai", label: "AI" },
  { category: "logic", label: "Logic" },
  { category: "code", label: "Code" },
  { category: "integration", label: "Integrations" },
  { category: "human", label: "People" },
];
