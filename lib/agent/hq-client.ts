/**
 * JSON over HQ's HTTP API, as a person or script (admin bearer token) or as an
 * enrolled agent (each request signed with the agent's key, so the vendor
 * needs no other secret). HQ's error answers come back as HandoffErrors.
 */
import { HandoffError } from '../core/errors.ts';
import { signAgentRequest } from '../server/agent-signature.ts';
import type { AgentCredentials } from '../transfer/wire/index.ts';

export type HqAuth = { kind: 'admin'; token: string } | { kind: 'agent'; credentials: AgentCredentials };

export interface HqClient {
  readonly serverUrl: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

const TIMEOUT_MS = 60_000;

export function createHqClient(serverUrl: string, auth: HqAuth): HqClient {
  const base = serverUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json', ...(text ? { 'content-type': 'application/json' } : {}) };
    const target = new URL(path, `${base}/`);
    const pathname = target.pathname + target.search;
    Object.assign(headers, auth.kind === 'admin' ? { authorization: `Bearer ${auth.token}` } : signAgentRequest(auth.credentials, { method, path: pathname, body: text }));
    let response: Response;
    try {
      response = await fetch(`${base}${pathname}`, { method, headers, body: text, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new HandoffError('AGENT_HQ_UNREACHABLE', `Cannot reach HQ at ${base}: ${(err as Error).message}`, {
        cause: err,
        retryable: true,
        details: { serverUrl: base },
        hint: 'Check the HQ address and that `handoff serve` runs there.',
      });
    }
    const answer = (await response.json().catch(() => undefined)) as { error?: Record<string, unknown> } | undefined;
    if (response.ok) return answer as T;
    const error = answer?.error;
    throw new HandoffError(typeof error?.code === 'string' ? error.code : 'AGENT_HQ_ERROR', typeof error?.message === 'string' ? error.message : `HQ answered ${response.status} to ${method} ${pathname}`, {
      // HQ's own errors say whether a retry helps; a bare 5xx (a proxy, a crash) may pass.
      retryable: error ? error.retryable === true : response.status >= 500,
      ...(typeof error?.hint === 'string' ? { hint: error.hint } : {}),
      details: { status: response.status, ...((error?.details as Record<string, unknown> | undefined) ?? {}) },
    });
  }
  return { serverUrl: base, get: (path) => call('GET', path), post: (path, body) => call('POST', path, body ?? {}) };
}
