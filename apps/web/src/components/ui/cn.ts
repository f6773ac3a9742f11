import { clsx, type ClassValue } from "clsx";

/**
 * Joins class names. There is no tailwind-merge here: components take extra classes for layout
 * (width, margin, grid placement), never to override their own padding or colours — use a variant.
 */
export function cn(...inputs: ClassValue[]): string {
  return clsx(inputs);
}
