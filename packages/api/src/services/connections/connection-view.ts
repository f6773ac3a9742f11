import { connections } from "@weft/db";

/** The columns any API may return: everything except the encrypted secret. */
export const connectionView = {
  id: connections.id,
  name: connections.name,
  provider: connections.provider,
  baseUrl: connections.baseUrl,
  config: connections.config,
  createdAt: connections.createdAt,
  updatedAt: connections.updatedAt,
};

export type ConnectionView = {
  id: string;
  name: string;
  provider: "openai" | "anthropic" | "openai_compatible";
  baseUrl: string | null;
  config: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
};
