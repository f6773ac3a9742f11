export * from "./authenticator";
export * from "./local";
export * from "./clerk";
