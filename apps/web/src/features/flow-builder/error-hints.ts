/**
 * What to do about a block error, by its code, for the Output tab (an error's own `hint`, when the
 * engine sends one, wins). Codes are the engine's (packages/engine); unknown codes get no hint.
 */
const hints: Record<string, string> = {
  USER_ERROR: "The block's code threw: check the message, then the Input above.",
  SYNTAX_ERROR: "The code does not parse: fix it in the Config tab.",
  STACK_OVERFLOW: "The code recursed too deep: look for a function that calls itself without end.",
  MEMORY_LIMIT: "The code used too much memory: work on smaller pieces of the input.",
  TIMEOUT: "The block ran out of time: raise its timeout or make it do less.",
  NOT_SERIALIZABLE: "Return plain JSON (objects, arrays, text, numbers): no functions, classes or cycles.",
  OUTPUT_TOO_LARGE: "The output is larger than a block may return: return less of it.",
  HTTP_INVALID_URL: "The URL is not valid after its template was filled in: check the URL field.",
  HTTP_NETWORK: "The server could not be reached: check the URL, its port, and that the server is up.",
  HTTP_TIMEOUT: "The server did not answer in time: raise the request timeout or check the server.",
  HTTP_TOO_MANY_REDIRECTS: "The URL redirects in a loop: call the final address directly.",
  HTTP_RESPONSE_TOO_LARGE: "The response is too large: ask the server for less (paging, filters).",
  SSRF_BLOCKED: "Private and internal addresses are blocked: call a public address.",
  ENOTFOUND: "The host name does not resolve: check the spelling of the URL.",
  LLM_AUTH: "The provider refused the key: check the connection's API key.",
  LLM_BAD_REQUEST: "The provider rejected the request: check the model name and the prompt.",
  LLM_NETWORK: "The provider could not be reached: check the connection's base URL.",
  LLM_SERVER_ERROR: "The provider failed: retry later, or add fallback models.",
  LLM_RATE_LIMITED: "The provider is rate limiting: add retries with backoff, or slow down.",
  LLM_OUTPUT_INVALID: "The model's answer did not match the output schema: simplify the schema or the prompt.",
  APPROVAL_TIMEOUT: "Nobody decided in time: raise the approval's timeout.",
  FLOW_INVALID: "The flow has problems: press Validate and fix them.",
};

export function errorHint(error: { code?: string; hint?: string } | null | undefined): string | null {
  if (!error) return null;
  if (typeof error.hint === "string" && error.hint.trim()) return error.hint;
  return error.code ? (hints[error.code] ?? null) : null;
}
