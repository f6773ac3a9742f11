#!/usr/bin/env node
// The `weft-runner` binary: loads the TypeScript sources through tsx (no build step in the repo).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv);
