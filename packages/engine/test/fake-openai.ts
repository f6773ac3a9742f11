/**
 * A scriptable fake of the OpenAI Chat Completions API on 127.0.0.1 (node:http), for exercising the
 * real provider clients (@ai-sdk/openai, @ai-sdk/openai-compatible) in tests without a network.
 *
 *   const fake = await startFakeOpenAI();
 *   fake.script([{ model: "primary", status: 500 }, { text: "Hello there", chunks: 3, delayMs: 5 }]);
 *   ... createOpenAI({ baseURL: fake.url, apiKey }) ...
 *   fake.requests[1].body.model; await fake.close();
 *
 * Each POST /v1/chat/completions takes the first queued reply whose `model` (if set) equals the
 * request's model. With no reply left it answers 400 "no scripted reply", so a missing script fails
 * loudly and is never retried. `stream: true` gets SSE chunks (`data: {...}` ... `data: [DONE]`), with
 * a final `usage` chunk when `stream_options.include_usage` is set; otherwise one JSON completion.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeUsage = { promptTokens?: number; completionTokens?: number };

type ReplyBase = {
  /** Only requests for this model take this reply. */
  model?: string;
  /** Usage reported by the reply (defaults: 10 prompt tokens; ~4 characters per completion token). */
  usage?: FakeUsage;
};

export type FakeTextReply = ReplyBase & {
  text: string;
  /** Number of content deltas the text is split into (default 3, at most one per character). */
  chunks?: number;
  /** Pause before each content delta, in ms. */
  delayMs?: number;
  /** Destroy the connection after this many content deltas (a mid-stream network failure). */
  dropAfterChunks?: number;
  finishReason?: string;
};

export type FakeJsonReply = ReplyBase & {
  /** Sent as the message content, `JSON.stringify`-ed (structured output). */
  json: unknown;
  chunks?: number;
  delayMs?: number;
};

export type FakeToolCallsReply = ReplyBase & {
  toolCalls: Array<{ name: string; arguments: unknown; id?: string }>;
  delayMs?: number;
};

export type FakeErrorReply = ReplyBase & {
  status: number;
  /** Seconds, sent as the Retry-After header. */
  retryAfter?: number;
  message?: string;
};

export type FakeHangReply = ReplyBase & { hang: true };

export type FakeReply = FakeTextReply | FakeJsonReply | FakeToolCallsReply | FakeErrorReply | FakeHangReply;

export type FakeRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are asserted on freely
  body: any;
};

export type FakeOpenAI = {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:53211/v1`. */
  url: string;
  /** Every request received, in order (live array). */
  requests: FakeRequest[];
  /** Replaces the queue of scripted replies. */
  script(queue: FakeReply[]): void;
  /** Replies not consumed yet. */
  pending(): FakeReply[];
  close(): Promise<void>;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function split(text: string, parts: number): string[] {
  const count = Math.max(1, Math.min(parts, text.length));
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

function usageOf(reply: ReplyBase, completionText: string) {
  const prompt = reply.usage?.promptTokens ?? 10;
  const completion = reply.usage?.completionTokens ?? Math.max(1, Math.ceil(completionText.length / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function errorType(status: number) {
  if (status === 401) return "invalid_request_error";
  if (status === 429) return "rate_limit_exceeded";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let queue: FakeReply[] = [];
  const requests: FakeRequest[] = [];
  let nextId = 0;

  const take = (model: unknown): FakeReply | undefined => {
    const index = queue.findIndex((r) => r.model === undefined || r.model === model);
    if (index < 0) return undefined;
    return queue.splice(index, 1)[0];
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw text
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });

    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      sendJson(res, 404, { error: { message: `fake-openai: no route ${req.method} ${path}`, type: "invalid_request_error" } });
      return;
    }
    const request = (body ?? {}) as {
      model?: string;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    const reply = take(request.model);
    if (!reply) {
      sendJson(res, 400, {
        error: { message: `fake-openai: no scripted reply left for model ${request.model}`, type: "invalid_request_error" },
      });
      return;
    }
    if ("hang" in reply) return; // never answer; the client aborts or close() destroys the socket
    if ("status" in reply) {
      const headers: Record<string, string> = reply.retryAfter !== undefined ? { "retry-after": String(reply.retryAfter) } : {};
      sendJson(
        res,
        reply.status,
        {
          error: {
            message: reply.message ?? `fake-openai: scripted ${reply.status}`,
            type: errorType(reply.status),
            param: null,
            code: reply.status === 401 ? "invalid_api_key" : null,
          },
        },
        headers,
      );
      return;
    }

    const id = `chatcmpl-fake-${++nextId}`;
    const created = Math.floor(Date.now() / 1000);
    const model = request.model ?? "unknown";
    const toolCalls =
      "toolCalls" in reply
        ? reply.toolCalls.map((call, i) => ({
            id: call.id ?? `call_${nextId}_${i}`,
            name: call.name,
            arguments: JSON.stringify(call.arguments ?? {}),
          }))
        : [];
    const text = "text" in reply ? reply.text : "json" in reply ? JSON.stringify(reply.json) : "";
    const finishReason = "toolCalls" in reply ? "tool_calls" : "text" in reply ? (reply.finishReason ?? "stop") : "stop";
    const usage = usageOf(reply, text + toolCalls.map((c) => c.name + c.arguments).join(""));

    if (!request.stream) {
      sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: toolCalls.length > 0 ? null : text,
              ...(toolCalls.length > 0 && {
                tool_calls: toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
              }),
            },
            finish_reason: finishReason,
          },
        ],
        usage,
      });
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      send({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }] });
    const delayMs = "delayMs" in reply ? (reply.delayMs ?? 0) : 0;

    chunk({ role: "assistant", content: "" });
    if (toolCalls.length > 0) {
      for (const [index, call] of toolCalls.entries()) {
        if (delayMs > 0) await sleep(delayMs);
        chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] });
        for (const piece of split(call.arguments, 2)) {
          if (delayMs > 0) await sleep(delayMs);
          chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
        }
      }
    } else {
      const pieces = split(text, "chunks" in reply ? (reply.chunks ?? 3) : 3);
      const dropAfter = "dropAfterChunks" in reply ? reply.dropAfterChunks : undefined;
      for (const [i, piece] of pieces.entries()) {
        if (dropAfter !== undefined && i >= dropAfter) {
          // Let what was written reach the client first, then cut the connection.
          await new Promise<void>((resolve) => res.write("", () => resolve()));
          await sleep(10);
          res.socket?.destroy();
          return;
        }
        if (delayMs > 0) await sleep(delayMs);
        if (res.destroyed) return;
        chunk({ content: piece });
      }
    }
    chunk({}, finishReason);
    if (request.stream_options?.include_usage) {
      send({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
    }
    res.end("data: [DONE]\n\n");
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake-openai crashed: ${String(error)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(next) {
      queue = [...next];
    },
    pending() {
      return [...queue];
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
