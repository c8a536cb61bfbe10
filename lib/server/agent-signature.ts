/**
 * Agent credentials over HTTP. An enrolled agent holds a private key and a
 * certificate HQ's CA signed (lib/transfer/wire). It signs each request:
 *
 *   Authorization: HandoffAgent <vendor>:<unix ms>:<base64url ECDSA-SHA256 signature>
 *   X-Handoff-Agent-Cert: <base64url of the certificate PEM>
 *
 * over `METHOD\nPATH\nTIMESTAMP\nSHA-256(body) hex`. HQ checks the certificate
 * was issued by its CA, is the one pinned for the vendor (re-enrolling revokes
 * the old one), names the vendor, and that the signature and time are right.
 */
import { createHash, createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { fingerprintOf } from '../transfer/wire/identity.ts';
import type { AgentCredentials } from '../transfer/wire/index.ts';
import { HandoffError } from '../core/errors.ts';

export const AGENT_SCHEME = 'HandoffAgent';
/** How far a request's time may be from HQ's clock. */
export const AGENT_CLOCK_SKEW_MS = 5 * 60_000;

export type PinCheck = (vendor: string, fingerprint: string) => Promise<boolean>;

const bodyHash = (body: Buffer | string | undefined): string => createHash('sha256').update(body ?? '').digest('hex');
const payload = (method: string, path: string, at: number, body: Buffer | string | undefined): string =>
  `${method.toUpperCase()}\n${path}\n${at}\n${bodyHash(body)}`;

/** Headers an agent adds to a request to HQ's API; `path` includes the query string. */
export function signAgentRequest(
  credentials: AgentCredentials,
  request: { method: string; path: string; body?: Buffer | string | undefined },
  now: number = Date.now(),
): Record<string, string> {
  const signature = sign('sha256', Buffer.from(payload(request.method, request.path, now, request.body)), createPrivateKey(credentials.key));
  return {
    authorization: `${AGENT_SCHEME} ${credentials.vendor}:${now}:${signature.toString('base64url')}`,
    'x-handoff-agent-cert': Buffer.from(credentials.cert).toString('base64url'),
  };
}

function refused(reason: string, vendor?: string): HandoffError {
  return new HandoffError('SERVER_AGENT_SIGNATURE_INVALID', `The agent signature was refused: ${reason}`, {
    details: { reason, ...(vendor ? { vendor } : {}) },
    hint: 'Check the agent machine clock, and re-enrol the agent (`handoff vendor invite` at HQ) if its key was replaced.',
  });
}

/** The vendor of a correctly signed request; throws SERVER_AGENT_SIGNATURE_INVALID otherwise. */
export async function verifyAgentRequest(
  request: { method: string; path: string; authorization: string; certificate: string | undefined; body: Buffer | undefined },
  caCert: string,
  isPinned: PinCheck,
  now: number = Date.now(),
): Promise<string> {
  const match = /^HandoffAgent ([^:]+):(\d+):([A-Za-z0-9_-]+)$/.exec(request.authorization.trim());
  if (!match || !request.certificate) throw refused('malformed authorization or missing certificate header');
  const [, vendor = '', atText = '', signature = ''] = match;
  const at = Number(atText);
  if (Math.abs(now - at) > AGENT_CLOCK_SKEW_MS) throw refused('the request time is too far from HQ time', vendor);
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
  const ok = verify('sha256', Buffer.from(payload(request.method, request.path, at, request.body)), cert.publicKey, Buffer.from(signature, 'base64url'));
  if (!ok) throw refused('the signature does not match the request', vendor);
  return vendor;
}
