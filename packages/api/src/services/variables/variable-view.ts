import { variables } from "@weft/db";

/** What the API shows of a variable: a secret's value never (null). */
export const variableColumns = {
  name: variables.name,
  secret: variables.secret,
  value: variables.value,
  createdAt: variables.createdAt,
  updatedAt: variables.updatedAt,
};

export type VariableView = { name: string; secret: boolean; value: string | null; createdAt: Date; updatedAt: Date };
