/**
 * JSON over HQ's HTTP API, as a person or script (admin bearer token) or as an
 * enrolled agent (each request signed with the agent's key, so the vendor
 * needs no other secret). An agent speaks only HTTPS beyond loopback, and
 * trusts the HQ certificate it pinned at enrolment (HQ's CA) besides the
 * public authorities. HQ's error answers come back as HandoffErrors.
 */
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { HandoffError } from '../core/errors.ts';
import { signAgentRequest } from '../server/agent-signature.ts';
import { isLoopback } from '../server/http-security.ts';
import type { AgentCredentials } from '../transfer/wire/index.ts';

export type HqAuth =
  | { kind: 'admin'; token: string; /** An extra CA to trust (HQ's own, for a server on its own certificate). */ ca?: string | undefined }
  | { kind: 'agent'; credentials: AgentCredentials };

export interface CallOptions {
  /** Makes a write safe to repeat: HQ answers a repeat with the first answer. */
  idempotencyKey?: string | undefined;
}

export interface HqClient {
  readonly serverUrl: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
}

const TIMEOUT_MS = 60_000;
/** Tries of a write carrying an idempotency key. */
const IDEMPOTENT_ATTEMPTS = 3;
/** The subject of HQ's own server certificate (agents' certificates name their vendor). */
const HQ_SUBJECT = 'CN=handoff HQ';

/** TLS settings trusting the public authorities and `pinnedCa`, whose server certificates need not name the host. */
function trusting(pinnedCa: string | undefined): https.RequestOptions {
  if (!pinnedCa) return {};
  const ca = new X509Certificate(pinnedCa);
  return {
    ca: [...tls.rootCertificates, pinnedCa],
    checkServerIdentity: (host, peer) => {
      const leaf = new X509Certificate(peer.raw);
      if (leaf.subject === HQ_SUBJECT && leaf.checkIssued(ca) && leaf.verify(ca.publicKey)) return undefined;
      return tls.checkServerIdentity(host, peer);
    },
  };
}

function unreachable(base: string, err: unknown): HandoffError {
  return new HandoffError('AGENT_HQ_UNREACHABLE', `Cannot reach HQ at ${base}: ${(err as Error).message}`, {
    cause: err,
    retryable: true,
    details: { serverUrl: base },
    hint: 'Check the HQ address and that `handoff serve` runs there; an https address must present the certificate HQ had at enrolment.',
  });
}

function send(url: URL, init: { method: string; headers: Record<string, string>; body: string | undefined; tls: https.RequestOptions }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method, headers: init.headers, timeout: TIMEOUT_MS, ...init.tls }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(init.body);
  });
}

export function createHqClient(serverUrl: string, auth: HqAuth): HqClient {
  const base = serverUrl.replace(/\/+$/, '');
  const origin = new URL(`${base}/`);
  if (auth.kind === 'agent' && origin.protocol === 'http:' && !isLoopback(origin.hostname)) {
    throw new HandoffError('AGENT_PLAIN_HTTP_REFUSED', `The agent will not send requests to ${base} in clear text`, {
      details: { serverUrl: base },
      hint: 'Use HQ\'s https:// address (as printed by `handoff vendor invite`) and enrol again with --server and --force.',
    });
  }
  const tlsOptions = trusting(auth.kind === 'agent' ? auth.credentials.caCert : auth.ca);

  async function call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const target = new URL(path, origin);
    const pathname = target.pathname + target.search;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      ...(auth.kind === 'admin'
        ? { authorization: `Bearer ${auth.token}` }
        : signAgentRequest(auth.credentials, { method, path: pathname, idempotencyKey: options.idempotencyKey, body: text })),
    };
    let response: { status: number; text: string };
    try {
      response = await send(new URL(pathname, origin), { method, headers, body: text, tls: tlsOptions });
    } catch (err) {
      throw unreachable(base, err);
    }
    let answer: { error?: Record<string, unknown> } | undefined;
    try {
      answer = JSON.parse(response.text) as typeof answer;
    } catch {
      answer = undefined;
    }
    if (response.status >= 200 && response.status < 300) return answer as T;
    const error = answer?.error;
    throw new HandoffError(typeof error?.code === 'string' ? error.code : 'AGENT_HQ_ERROR', typeof error?.message === 'string' ? error.message : `HQ answered ${response.status} to ${method} ${pathname}`, {
      // HQ's own errors say whether a retry helps; a bare 5xx (a proxy, a crash) may pass.
      retryable: error ? error.retryable === true : response.status >= 500,
      ...(typeof error?.hint === 'string' ? { hint: error.hint } : {}),
      details: { status: response.status, ...((error?.details as Record<string, unknown> | undefined) ?? {}) },
    });
  }
  /** A write with an idempotency key is safe to send again when its answer was lost. */
  async function post<T>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call<T>('POST', path, body ?? {}, options);
      } catch (err) {
        const again = options.idempotencyKey && attempt < IDEMPOTENT_ATTEMPTS && err instanceof HandoffError && (err.code === 'AGENT_HQ_UNREACHABLE' || err.code === 'SERVER_IDEMPOTENCY_PENDING');
        if (!again) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  }
  return { serverUrl: base, get: (path) => call('GET', path), post };
}
