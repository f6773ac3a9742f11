export * from "./errors";
export { startEmbeddedPostgres, type EmbeddedServer, type StartEmbeddedOptions } from "./server";
export { embeddedPaths, runningEmbedded, type EmbeddedConnection } from "./connection-file";
