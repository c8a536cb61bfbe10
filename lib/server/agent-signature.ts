/**
 * Agent credentials over HTTP. An enrolled agent holds a private key and a
 * certificate HQ's CA signed (lib/transfer/wire). It signs each request:
 *
 *   Authorization: HandoffAgent <vendor>:<unix ms>:<nonce>:<base64url ECDSA-SHA256 signature>
 *   X-Handoff-Agent-Cert: <base64url of the certificate PEM>
 *
 * over `METHOD\nPATH\nTIMESTAMP\nNONCE\nIDEMPOTENCY-KEY\nSHA-256(body) hex`.
 * HQ checks everything it can from the headers first (time, certificate issued
 * by its CA, pinned for the vendor, naming the vendor, nonce not seen) and
 * reads the body only then, to check the signature over its raw bytes. A nonce
 * is remembered for as long as its time is accepted, so a replay is refused.
 */
import { createHash, createPrivateKey, randomBytes, sign, verify, X509Certificate } from 'node:crypto';
import { fingerprintOf } from '../transfer/wire/identity.ts';
import type { AgentCredentials } from '../transfer/wire/index.ts';
import { HandoffError } from '../core/errors.ts';

export const AGENT_SCHEME = 'HandoffAgent';
/** How old a signed request may be. */
export const AGENT_MAX_AGE_MS = 5 * 60_000;
/** How far ahead of HQ's clock a request's time may be. */
export const AGENT_FUTURE_SKEW_MS = 30_000;
/** How long a nonce must be remembered: as long as a request carrying it is accepted. */
export const NONCE_MEMORY_MS = AGENT_MAX_AGE_MS + AGENT_FUTURE_SKEW_MS;

export type PinCheck = (vendor: string, fingerprint: string) => Promise<boolean>;

/** Nonces of accepted requests. `claim` is atomic: false when the nonce was already used. */
export interface NonceMemory {
  seen(vendor: string, nonce: string): boolean;
  claim(vendor: string, nonce: string, at: number): boolean;
}

export interface SignedRequest {
  method: string;
  /** Path with the query string. */
  path: string;
  idempotencyKey?: string | undefined;
  body?: Buffer | string | undefined;
}

/** What the headers of a request say, once checked; `verifyAgentBody` completes the check. */
export interface AgentClaim {
  vendor: string;
  at: number;
  nonce: string;
  signature: string;
  cert: X509Certificate;
}

const bodyHash = (body: Buffer | string | undefined): string => createHash('sha256').update(body ?? '').digest('hex');
const payload = (request: SignedRequest, at: number, nonce: string): string =>
  `${request.method.toUpperCase()}\n${request.path}\n${at}\n${nonce}\n${request.idempotencyKey ?? ''}\n${bodyHash(request.body)}`;

/** Headers an agent adds to a request to HQ's API. */
export function signAgentRequest(credentials: AgentCredentials, request: SignedRequest, now: number = Date.now()): Record<string, string> {
  const nonce = randomBytes(16).toString('base64url');
  const signature = sign('sha256', Buffer.from(payload(request, now, nonce)), createPrivateKey(credentials.key));
  return {
    authorization: `${AGENT_SCHEME} ${credentials.vendor}:${now}:${nonce}:${signature.toString('base64url')}`,
    'x-handoff-agent-cert': Buffer.from(credentials.cert).toString('base64url'),
    ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
  };
}

function refused(reason: string, vendor?: string): HandoffError {
  return new HandoffError('SERVER_AGENT_SIGNATURE_INVALID', `The agent signature was refused: ${reason}`, {
    details: { reason, ...(vendor ? { vendor } : {}) },
    hint: 'Check the agent machine clock, and re-enrol the agent (`handoff vendor invite` at HQ) if its key was replaced.',
  });
}

function badTime(at: number, now: number, vendor: string): HandoffError {
  const ahead = at > now;
  return new HandoffError('SERVER_AGENT_TIME_INVALID', `The agent request is dated ${Math.round(Math.abs(at - now) / 1000)} s ${ahead ? 'ahead of' : 'behind'} HQ's clock`, {
    details: { vendor, at, now, reason: ahead ? 'in the future' : 'too old' },
    hint: `Sync the agent machine's clock (NTP): requests may be at most ${AGENT_FUTURE_SKEW_MS / 1000} s ahead and ${AGENT_MAX_AGE_MS / 60_000} min behind.`,
  });
}

export function replayed(vendor: string): HandoffError {
  return new HandoffError('SERVER_AGENT_REPLAYED', `A signed request of ${vendor} was sent again (its nonce was already used)`, {
    details: { vendor },
    hint: 'Nothing was done. Each agent request is signed once; to retry a publish, send a new request with the same Idempotency-Key.',
  });
}

/** Checks what the headers alone can prove; throws SERVER_AGENT_* otherwise. The body is not read. */
export async function checkAgentHeaders(
  request: { authorization: string; certificate: string | undefined },
  caCert: string,
  isPinned: PinCheck,
  nonces?: NonceMemory | undefined,
  now: number = Date.now(),
): Promise<AgentClaim> {
  const match = /^HandoffAgent ([^:]+):(\d{1,15}):([A-Za-z0-9_-]{16,64}):([A-Za-z0-9_-]+)$/.exec(request.authorization.trim());
  if (!match || !request.certificate) throw refused('malformed authorization or missing certificate header');
  const [, vendor = '', atText = '', nonce = '', signature = ''] = match;
  const at = Number(atText);
  if (at > now + AGENT_FUTURE_SKEW_MS || at < now - AGENT_MAX_AGE_MS) throw badTime(at, now, vendor);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(request.certificate, 'base64url').toString('utf8'));
  } catch {
    throw refused('the certificate cannot be read', vendor);
  }
  const ca = new X509Certificate(caCert);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw refused('the certificate was not issued by this HQ', vendor);
  if (!/^CN=/m.test(cert.subject) || !cert.subject.split('\n').includes(`CN=${vendor}`)) throw refused('the certificate belongs to another vendor', vendor);
  if (!(await isPinned(vendor, fingerprintOf(cert.raw)))) throw refused('the certificate is not (or no longer) enrolled', vendor);
  if (nonces?.seen(vendor, nonce)) throw replayed(vendor);
  return { vendor, at, nonce, signature, cert };
}

/** Checks the signature over the raw request, then spends the nonce (a second use is a replay). */
export function verifyAgentBody(claim: AgentClaim, request: SignedRequest, nonces?: NonceMemory | undefined): string {
  const ok = verify('sha256', Buffer.from(payload(request, claim.at, claim.nonce)), claim.cert.publicKey, Buffer.from(claim.signature, 'base64url'));
  if (!ok) throw refused('the signature does not match the request', claim.vendor);
  if (nonces && !nonces.claim(claim.vendor, claim.nonce, claim.at)) throw replayed(claim.vendor);
  return claim.vendor;
}

/** The vendor of a correctly signed request; throws SERVER_AGENT_* otherwise. */
export async function verifyAgentRequest(
  request: SignedRequest & { authorization: string; certificate: string | undefined },
  caCert: string,
  isPinned: PinCheck,
  now: number = Date.now(),
  nonces?: NonceMemory,
): Promise<string> {
  const claim = await checkAgentHeaders(request, caCert, isPinned, nonces, now);
  return verifyAgentBody(claim, request, nonces);
}
