/**
 * What to do about a failed step, by its error code: one line for the run page. The closed list of
 * codes with hints moves to packages/flow with the resilience work (DESIGN.md 4.2); until then this
 * covers what the engine raises today. Unknown codes get no hint rather than a vague one.
 */
const hints: Record<string, string> = {
  LLM_NETWORK: "The provider could not be reached: check the connection's base URL (host and port) in Connections, and that the server is up.",
  LLM_AUTH: "The provider refused the API key: update the connection's key in Connections.",
  LLM_RATE_LIMITED: "The provider is rate-limiting this key: add retries to the block, or a fallback model.",
  LLM_SERVER_ERROR: "The provider failed on its side: retry the run, or add a fallback model to the block.",
  LLM_BAD_REQUEST: "The provider refused the request: check the model name, the prompt and the output schema in the block's settings.",
  LLM_OUTPUT_INVALID: "The model's answer did not match the output schema: loosen the schema or say more precisely in the prompt what to return.",
  LLM_ABORTED: "The model call was stopped before it finished (cancelled or timed out).",
  HTTP_STATUS: "The server answered with an error status: check the URL, method, headers and body in the block's settings.",
  HTTP_NETWORK: "The server could not be reached: check the URL's host and port.",
  HTTP_TIMEOUT: "The server took too long: raise the block's timeout or check the server.",
  HTTP_INVALID_URL: "The URL is not valid once its templates are filled in: check the block's URL.",
  HTTP_RESPONSE_TOO_LARGE: "The response was larger than allowed: ask the server for less.",
  HTTP_TOO_MANY_REDIRECTS: "The URL redirects too many times: use the final address.",
  SSRF_BLOCKED: "Private and local addresses are blocked: use a public address, or allow the host with WEFT_HTTP_ALLOW_HOSTS.",
  INPUT_INVALID: "The run input does not match the Start block's input schema: fix the input or the schema.",
  USER_ERROR: "The code threw an error: open the block and fix its code (the message says where).",
  SYNTAX_ERROR: "The code does not parse: open the block and fix the syntax.",
  TIMEOUT: "The code ran too long: make it faster or raise the block's timeout.",
  MEMORY_LIMIT: "The code used too much memory: process less data at once.",
  STACK_OVERFLOW: "The code recursed too deeply: check for endless recursion.",
  NOT_SERIALIZABLE: "The code returned something that is not JSON (a function, a cycle): return plain data.",
  NODE_TIMEOUT: "The block ran longer than its timeout: raise the timeout in its settings or make it faster.",
  APPROVAL_TIMEOUT: "Nobody decided before the approval's timeout: raise the timeout, or decide sooner.",
  ROUTER_NO_ROUTE: "No route matched and there is no default: add a default route.",
  LOOP_NOT_ARRAY: "The loop's `over` is not an array: point it at a list.",
  LOOP_LIMIT: "The loop reached its iteration limit: raise maxIterations or check its stop condition.",
  OUTPUT_LIMIT: "The block's output is larger than allowed (4 MB): return less data.",
  EVENT_LIMIT: "The run produced too many events: split the work into smaller runs.",
  FLOW_INVALID: "The flow has problems: open it in the builder and fix what Validate lists.",
  TEMPLATE: "A template could not be filled in: check the {{ ... }} references in the block.",
};

export const errorHint = (code: string | null | undefined): string | null => (code ? (hints[code] ?? null) : null);
