/**
 * The HTTP layer under the client: Node's fetch, Bearer tokens from the token
 * manager, `Accept: application/json`, bounded concurrency and retries.
 *
 * Retries: calls marked `safe` (reads, searches, updates, deletes) are tried
 * again on 429/502/503/504 and on network failures, waiting `Retry-After` when
 * the server sends one, else an exponential backoff with jitter. A create is
 * never blindly repeated: only a 429 or a refused connection (the request was
 * not taken) is retried; other failures reach the caller marked retryable, who
 * looks for what it made before trying again. A 401 renews the token and tries
 * once more, whatever the call.
 */
import { invalidResponse, networkError, responseError, RETRYABLE_STATUSES } from './errors.ts';
import type { TokenManager } from './auth.ts';
import { createLimiter } from './limiter.ts';
import type { Limiter } from './limiter.ts';

export interface HttpOptions {
  /** Site origin, e.g. `https://studio.shotgrid.autodesk.com`. */
  siteUrl: string;
  /** `/api/v1` (default) or `/api/v1.1`. */
  apiPrefix?: string | undefined;
  /** Attempts for a retryable call, the first included. Default 4. */
  attempts?: number | undefined;
  /** First backoff delay; doubles each attempt, with jitter. Default 250 ms. */
  retryDelayMs?: number | undefined;
  /** Longest wait between attempts, also for `Retry-After`. Default 30 s. */
  maxRetryDelayMs?: number | undefined;
  /** Calls in flight at once. Default 8. */
  concurrency?: number | undefined;
  /** Per-attempt timeout. Default 60 s. */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path under the API prefix (`/entity/shots`), or one the server linked (`/api/v1/...`) with `linked`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  body?: unknown;
  /** JSON by default; `_search` sends its vendor type; the token endpoint a form. */
  contentType?: string | undefined;
  /** Repeating the call cannot duplicate anything (reads, updates, deletes). */
  safe: boolean;
  /** Send without a token (server info, the token endpoint). */
  anonymous?: boolean | undefined;
  /** `path` came from a `links` entry and already carries the API prefix. */
  linked?: boolean | undefined;
}

export interface Http {
  request<T>(req: HttpRequest, tokens?: TokenManager): Promise<T>;
  /** Full URL of an API path. */
  url(path: string, linked?: boolean): string;
  readonly limiter: Limiter;
  /** Requests sent (attempts included), for benches and tests. */
  readonly sent: number;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in ms: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function refusedConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } } | undefined)?.cause?.code;
  return code === 'ECONNREFUSED';
}

async function readBody(response: Response): Promise<{ json: unknown; text: string }> {
  const text = await response.text();
  if (!text.trim()) return { json: undefined, text };
  try {
    return { json: JSON.parse(text) as unknown, text };
  } catch {
    return { json: undefined, text };
  }
}

export function createHttp(options: HttpOptions): Http {
  const origin = options.siteUrl.replace(/\/+$/, '');
  const prefix = options.apiPrefix ?? '/api/v1';
  const attempts = options.attempts ?? 4;
  const baseDelay = options.retryDelayMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const fetchImpl = options.fetch ?? fetch;
  const limiter = createLimiter(options.concurrency ?? 8);
  let sent = 0;

  const url = (path: string, linked = false): string => (/^https?:\/\//.test(path) ? path : `${origin}${linked ? '' : prefix}${path}`);

  function encode(req: HttpRequest): { body?: string; headers: Record<string, string> } {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (req.body === undefined) return { headers };
    const type = req.contentType ?? 'application/json';
    headers['Content-Type'] = type;
    if (type === 'application/x-www-form-urlencoded') return { headers, body: new URLSearchParams(req.body as Record<string, string>).toString() };
    return { headers, body: JSON.stringify(req.body) };
  }

  function target(req: HttpRequest): string {
    const u = new URL(url(req.path, req.linked));
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) u.searchParams.set(key, String(value));
    return u.toString();
  }

  interface Answer {
    status: number;
    ok: boolean;
    headers: Headers;
    json: unknown;
    text: string;
  }

  async function once(req: HttpRequest, token: string | undefined): Promise<Answer> {
    const { body, headers } = encode(req);
    if (token) headers['Authorization'] = `Bearer ${token}`;
    return limiter.run(async () => {
      sent++;
      const response = await fetchImpl(target(req), { method: req.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      return { status: response.status, ok: response.ok, headers: response.headers, ...(await readBody(response)) };
    });
  }

  async function request<T>(req: HttpRequest, tokens?: TokenManager): Promise<T> {
    const call = { method: req.method, path: req.path };
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const delay = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      const token = req.anonymous || !tokens ? undefined : await tokens.token();
      let answer: Answer;
      try {
        answer = await once(req, token);
      } catch (err) {
        const error = networkError(err, call, origin);
        if (attempt >= attempts || !(req.safe || refusedConnection(err))) throw error;
        await wait(delay);
        continue;
      }
      const { status, json, text } = answer;
      if (answer.ok) {
        if (json === undefined && text.trim() && (answer.headers.get('content-type') ?? '').includes('json')) throw invalidResponse(call, 'a body that is not JSON');
        return json as T;
      }
      if (status === 401 && token && tokens && !renewed) {
        renewed = true;
        tokens.invalidate(token);
        attempt--;
        continue;
      }
      const retryable = RETRYABLE_STATUSES.has(status) && (req.safe || status === 429);
      if (!retryable || attempt >= attempts) throw responseError(status, json, call, json === undefined ? text : '');
      const after = retryAfterMs(answer.headers.get('retry-after'));
      await wait(after === undefined ? delay : Math.min(maxDelay, after));
    }
  }

  return {
    request,
    url,
    limiter,
    get sent() {
      return sent;
    },
  };
}
