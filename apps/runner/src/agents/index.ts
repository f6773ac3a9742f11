import type { AgentAdapter, AgentPayload } from "../messages";
import { claude } from "./claude";
import { codex } from "./codex";
import { gemini } from "./gemini";

/** The coding-agent CLIs a runner can drive, by the `agent` of an agent step. */
export const AGENTS: Record<AgentPayload["agent"], AgentAdapter> = { claude, codex, gemini };

