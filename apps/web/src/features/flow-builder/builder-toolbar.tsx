"use client";

import { Fragment, useCallback, useState } from "react";
import { Keyboard, Redo2, Undo2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useFlowHistory, useFlowStoreApi } from "./store";
import { shortcutList, useBuilderShortcuts } from "./use-shortcuts";

/** Undo, redo and the shortcuts help; owns the builder's keyboard shortcuts. */
export function BuilderToolbar({ canEdit, onSave }: { canEdit: boolean; onSave: () => void }) {
  const store = useFlowStoreApi();
  const { canUndo, canRedo } = useFlowHistory();
  const [help, setHelp] = useState(false);
  const openHelp = useCallback(() => setHelp(true), []);
  useBuilderShortcuts({ canEdit, onSave, onHelp: openHelp });

  return (
    <div role="toolbar" aria-label="Edit" className="flex items-center gap-1">
      {canEdit ? (
        <>
          <Button type="button" variant="ghost" size="icon" title="Undo (Mod+Z)" aria-label="Undo" disabled={!canUndo} onClick={() => store.getState().undo()}>
            <Undo2 aria-hidden />
          </Button>
          <Button type="button" variant="ghost" size="icon" title="Redo (Mod+Shift+Z)" aria-label="Redo" disabled={!canRedo} onClick={() => store.getState().redo()}>
            <Redo2 aria-hidden />
          </Button>
        </>
      ) : null}
      <Button type="button" variant="ghost" size="icon" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={openHelp}>
        <Keyboard aria-hidden />
      </Button>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} canEdit={canEdit} />
    </div>
  );
}

function ShortcutsDialog({ open, onClose, canEdit }: { open: boolean; onClose: () => void; canEdit: boolean }) {
  const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
  const shown = shortcutList.filter((s) => canEdit || !s.edit);
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" description="They work on the canvas, not while you type in a field or the code editor.">
      <table className="w-full text-sm" data-testid="shortcuts">
        <tbody className="divide-y divide-border">
          {shown.map((shortcut) => (
            <tr key={shortcut.action}>
              <td className="py-1.5 pr-4 whitespace-nowrap">
                <Keys keys={shortcut.keys} mac={mac} />
                {shortcut.also ? (
                  <>
                    <span className="px-1.5 text-xs text-muted-foreground">or</span>
                    <Keys keys={shortcut.also} mac={mac} />
                  </>
                ) : null}
              </td>
              <td className="py-1.5 text-muted-foreground">{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

/** A key combination, `Mod` shown as ⌘ on macOS and Ctrl elsewhere. */
function Keys({ keys, mac }: { keys: string[]; mac: boolean }) {
  return keys.map((key, i) => (
    <Fragment key={key}>
      {i > 0 ? <span className="px-0.5 text-muted-foreground">+</span> : null}
      <kbd className="rounded border border-border bg-muted px-1.5 py-0.5 font-mono text-xs">{key === "Mod" ? (mac ? "⌘" : "Ctrl") : key}</kbd>
    </Fragment>
  ));
}
