export * from "./auth";
export * from "./workspaces";
export * from "./connections";
export * from "./flows";
export * from "./executions";
export * from "./triggers";
export * from "./variables";
export * from "./analytics";
