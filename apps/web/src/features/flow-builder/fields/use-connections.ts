"use client";

import { useParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { suggestedModels } from "@weft/flow";
import type { Provider } from "@/features/connections/providers";
import { useTRPC } from "@/trpc/client";

export function useWorkspaceConnections() {
  const trpc = useTRPC();
  const { workspaceId } = useParams<{ workspaceId: string }>();
  const query = useQuery(trpc.connections.list.queryOptions({ workspaceId }, { staleTime: 30_000 }));
  return { workspaceId, connections: query.data, pending: query.isPending };
}

/** The provider of the chosen connection and the models to suggest for it. */
export function useModelSuggestions(connectionId: string | undefined): { provider: Provider | undefined; models: readonly string[] } {
  const { connections } = useWorkspaceConnections();
  const provider = connections?.find((c) => c.id === connectionId)?.provider;
  return { provider, models: suggestedModels(provider) };
}
