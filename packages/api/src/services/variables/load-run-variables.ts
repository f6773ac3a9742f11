import { eq, variables, type DbOrTx } from "@weft/db";
import type { SecretBox } from "../../lib/crypto";

/** Everything a run of this workspace reads as `{{ env.NAME }}`, decrypted, and which values are secret (the engine masks them). */
export async function loadRunVariables(
  deps: { db: DbOrTx; secrets: SecretBox },
  { workspaceId }: { workspaceId: string },
): Promise<{ env: Record<string, string>; secrets: string[] }> {
  const rows = await deps.db
    .select({ name: variables.name, secret: variables.secret, value: variables.value, valueCiphertext: variables.valueCiphertext })
    .from(variables)
    .where(eq(variables.workspaceId, workspaceId));
  return runVariables(deps, rows);
}

export type VariableRow = { name: string; secret: boolean; value: string | null; valueCiphertext: string | null };

/** The run variables of a workspace's variable rows (read by loadRunVariables, or with a webhook's lookup). */
export function runVariables(deps: { secrets: SecretBox }, rows: readonly VariableRow[]): { env: Record<string, string>; secrets: string[] } {
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  for (const row of rows) {
    const value = row.secret ? deps.secrets.decrypt(row.valueCiphertext ?? "") : (row.value ?? "");
    env[row.name] = value;
    if (row.secret) secrets.push(value);
  }
  return { env, secrets };
}
