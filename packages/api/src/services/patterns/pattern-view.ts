import { patterns } from "@weft/db";

export const patternView = {
  id: patterns.id,
  name: patterns.name,
  description: patterns.description,
  flowId: patterns.flowId,
  nodeId: patterns.nodeId,
  when: patterns.when,
  expect: patterns.expect,
  exampleDecisionIds: patterns.exampleDecisionIds,
  createdAt: patterns.createdAt,
  updatedAt: patterns.updatedAt,
};

export type PatternView = {
  id: string;
  name: string;
  description: string;
  flowId: string | null;
  nodeId: string | null;
  when: string;
  expect: unknown;
  exampleDecisionIds: string[];
  createdAt: Date;
  updatedAt: Date;
};
