"use client";

import { useEffect } from "react";
import { useHotkeys, type Options } from "react-hotkeys-hook";
import { parseClipboard, serializeClipboard } from "./clipboard";
import { useFlowStoreApi } from "./store";

/** The builder's keyboard shortcuts, as shown in the shortcuts help. `Mod` is ⌘ on macOS, Ctrl elsewhere. */
export const shortcutList: readonly { keys: string[]; also?: string[]; action: string; edit: boolean }[] = [
  { keys: ["Mod", "Z"], action: "Undo", edit: true },
  { keys: ["Mod", "Shift", "Z"], also: ["Mod", "Y"], action: "Redo", edit: true },
  { keys: ["Mod", "C"], action: "Copy the selected blocks", edit: false },
  { keys: ["Mod", "X"], action: "Cut the selected blocks", edit: true },
  { keys: ["Mod", "V"], action: "Paste blocks (also copied in another flow)", edit: true },
  { keys: ["Mod", "D"], action: "Duplicate the selected blocks", edit: true },
  { keys: ["Mod", "A"], action: "Select all", edit: false },
  { keys: ["Delete"], also: ["Backspace"], action: "Delete the selection", edit: true },
  { keys: ["/"], action: "Quick add a block (also a double click on the canvas)", edit: true },
  { keys: ["Shift", "F10"], action: "Open the selected block's menu (also right click)", edit: true },
  { keys: ["Escape"], action: "Deselect (closes the inspector)", edit: false },
  { keys: ["Tab"], action: "Move between blocks; Enter selects, arrows move the selection", edit: false },
  { keys: ["Mod", "S"], action: "Save now", edit: true },
  { keys: ["Shift", "Drag"], action: "Select with a box", edit: false },
  { keys: ["Mod", "Click"], action: "Add to or remove from the selection", edit: false },
  { keys: ["?"], action: "Show these shortcuts", edit: false },
];

/** A modal dialog (run, versions, help) owns the keyboard while it is open. */
const dialogOpen = () => document.querySelector("dialog[open]") !== null;

/** Typing somewhere: inputs, textareas, selects and the code editor keep their own keys. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

/** Text selected on the page (a problem message, a label): Mod+C copies that, not blocks. */
const hasTextSelection = () => {
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().trim() !== "";
};

/**
 * Keyboard shortcuts of the builder. Keys typed in inputs and editors are theirs (react-hotkeys-hook
 * ignores form fields and contenteditable by default), except Mod+S, which saves from anywhere.
 * Copy, cut and paste go through the browser's clipboard events, so blocks move between flows and
 * tabs without a clipboard permission prompt.
 */
export function useBuilderShortcuts({ canEdit, onSave, onHelp }: { canEdit: boolean; onSave: () => void; onHelp: () => void }) {
  const store = useFlowStoreApi();
  const base: Options = { ignoreEventWhen: dialogOpen, preventDefault: true };
  const editing: Options = { ...base, enabled: canEdit };

  useHotkeys("mod+z", () => store.getState().undo(), editing, [store]);
  useHotkeys("mod+shift+z, mod+y", () => store.getState().redo(), editing, [store]);
  useHotkeys("mod+d", () => store.getState().duplicateSelection(), editing, [store]);
  useHotkeys("delete, backspace", () => store.getState().deleteSelection(), editing, [store]);
  useHotkeys("mod+a", () => store.getState().selectAll(), base, [store]);
  useHotkeys("mod+s", onSave, { ...editing, enableOnFormTags: true, enableOnContentEditable: true }, [onSave]);
  useHotkeys("shift+slash", onHelp, base, [onHelp]);

  useEffect(() => {
    const skip = (event: ClipboardEvent) => isEditable(event.target) || isEditable(document.activeElement) || dialogOpen();
    const copy = (event: ClipboardEvent): boolean => {
      if (skip(event) || hasTextSelection() || !event.clipboardData) return false;
      const copied = store.getState().copySelection();
      if (!copied) return false;
      event.clipboardData.setData("text/plain", serializeClipboard(copied));
      event.preventDefault();
      return true;
    };
    const onCut = (event: ClipboardEvent) => {
      if (canEdit && copy(event)) store.getState().deleteSelection();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (!canEdit || skip(event)) return;
      const pasted = parseClipboard(event.clipboardData?.getData("text/plain") ?? "");
      if (!pasted) return;
      event.preventDefault();
      store.getState().paste(pasted);
    };
    document.addEventListener("copy", copy);
    document.addEventListener("cut", onCut);
    document.addEventListener("paste", onPaste);
    return () => {
      document.removeEventListener("copy", copy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
    };
  }, [store, canEdit]);
}
