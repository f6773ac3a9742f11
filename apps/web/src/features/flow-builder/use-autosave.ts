"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { TRPCClientError } from "@trpc/client";
import { useStore } from "zustand";
import { useTRPCClient } from "@/trpc/client";
import { toFlow, type FlowStore } from "./store";

const AUTOSAVE_MS = 800;

export type SavePhase = "idle" | "saving" | "error" | "conflict";

/**
 * Autosave of the open flow: debounced, one save at a time, against the version last read (a 409
 * is a conflict the user resolves with reload or overwrite). The flow's name is saved the same way.
 */
export function useAutosave({
  store,
  workspaceId,
  flowId,
  version,
  name: initialName,
  canEdit,
}: {
  store: FlowStore;
  workspaceId: string;
  flowId: string;
  version: number;
  name: string;
  canEdit: boolean;
}) {
  const client = useTRPCClient();
  const versionRef = useRef(version);
  const inFlight = useRef<Promise<void> | null>(null);
  const [savedRevision, setSavedRevision] = useState(0);
  const [phase, setPhase] = useState<SavePhase>("idle");
  const [saveError, setSaveError] = useState<string | null>(null);
  const [name, setNameState] = useState(initialName);
  const [savedName, setSavedName] = useState(initialName);
  const nameRef = useRef(initialName);

  const saveNow = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current;
    const state = store.getState();
    const rev = state.revision;
    const savingName = nameRef.current;
    let ok = false;
    const run = (async () => {
      setPhase("saving");
      try {
        const saved = await client.flows.update.mutate({ workspaceId, flowId, version: versionRef.current, name: savingName, ...toFlow(state) });
        versionRef.current = saved.version;
        setSavedRevision(rev);
        setSavedName(savingName);
        setPhase("idle");
        setSaveError(null);
        ok = true;
      } catch (error) {
        if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "CONFLICT") setPhase("conflict");
        else {
          setPhase("error");
          setSaveError(error instanceof Error ? error.message : "Save failed");
        }
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
    return ok;
  }, [client, store, workspaceId, flowId]);

  const revision = useStore(store, (s) => s.revision);
  const dirty = revision !== savedRevision || name !== savedName;
  useEffect(() => {
    if (!canEdit || !dirty || phase === "conflict") return;
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [canEdit, dirty, phase, revision, name, saveNow]);

  const flush = useCallback(
    async () => (store.getState().revision === savedRevision && nameRef.current === savedName ? true : saveNow()),
    [store, savedRevision, savedName, saveNow],
  );

  const setName = useCallback((next: string) => {
    nameRef.current = next;
    setNameState(next);
  }, []);

  const reload = async () => {
    const current = await client.flows.byId.query({ workspaceId, flowId });
    versionRef.current = current.version;
    store.getState().replaceGraph({ nodes: current.nodes, edges: current.edges });
    setSavedRevision(store.getState().revision);
    nameRef.current = current.name;
    setNameState(current.name);
    setSavedName(current.name);
    setPhase("idle");
  };
  const overwrite = async () => {
    const current = await client.flows.byId.query({ workspaceId, flowId });
    versionRef.current = current.version;
    setPhase("idle");
    await saveNow();
  };

  return { phase, saveError, dirty, flush, reload, overwrite, name, setName };
}
