export { dumpDatabase, type DumpHeader } from "./dump-database";
export { restoreDatabase, RestoreRefusedError } from "./restore-database";
