// The Weft server the remote commands talk to: WEFT_URL and WEFT_API_KEY (or --url / --api-key).
import { UsageError } from "./input";

export class ServerError extends Error {
  override readonly name = "ServerError";
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export type Server = {
  url: string;
  request<T>(method: string, path: string, init?: { body?: string; contentType?: string; accept?: string }): Promise<{ status: number; body: T; text: string }>;
  headers(extra?: Record<string, string>): Record<string, string>;
};

export function connect(options: { url?: string; apiKey?: string }, env: NodeJS.ProcessEnv): Server {
  const url = (options.url ?? env.WEFT_URL ?? "").replace(/\/+$/, "");
  const apiKey = options.apiKey ?? env.WEFT_API_KEY;
  if (!url) throw new UsageError("set WEFT_URL (or --url) to the Weft server, e.g. http://localhost:3000");
  if (!apiKey) throw new UsageError("set WEFT_API_KEY (or --api-key) to an API key from Settings → API keys");
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${apiKey}`, ...extra });
  return {
    url,
    headers,
    async request<T>(method: string, path: string, init: { body?: string; contentType?: string; accept?: string } = {}) {
      let res: Response;
      try {
        res = await fetch(`${url}${path}`, {
          method,
          headers: headers({
            ...(init.body !== undefined ? { "content-type": init.contentType ?? "application/json" } : {}),
            ...(init.accept ? { accept: init.accept } : {}),
          }),
          body: init.body,
        });
      } catch (error) {
        throw new ServerError(0, `cannot reach ${url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, null);
      }
      const text = await res.text();
      let body: unknown = text;
      if ((res.headers.get("content-type") ?? "").includes("json")) {
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
      }
      if (!res.ok) {
        const error = (body as { error?: { message?: string } } | null)?.error;
        throw new ServerError(res.status, `${res.status}: ${error?.message ?? text.slice(0, 200)}`, body);
      }
      return { status: res.status, body: body as T, text };
    },
  };
}
