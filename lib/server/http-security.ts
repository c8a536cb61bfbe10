/**
 * How the HTTP API is exposed. It speaks HTTPS with the configured certificate
 * files, or with HQ's own certificate (the identity agents pin at enrolment).
 * Plain HTTP is served only on a loopback address (a TLS proxy on the same
 * machine, tests, the demo) or when explicitly allowed, with a warning.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HandoffConfig } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import type { HqIdentity } from '../transfer/wire/index.ts';

export { guardConnections, type ConnectionGuard } from '../transfer/wire/anonymous.ts';

/** The certificate the HTTP API serves: PEM texts (chain first), or `hq` for HQ's own identity. */
export type HttpTls = { cert: string; key: string } | 'hq';

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export interface HttpPlan {
  /** Key and certificate chain for HTTPS; undefined serves plain HTTP. */
  tls: { cert: string; key: string } | undefined;
  /** Said once at start when plain HTTP is served beyond loopback. */
  warning?: string | undefined;
}

/** Decides HTTPS or plain HTTP, refusing cleartext beyond loopback unless `allowPlainHttp`. */
export function planHttp(options: { host: string; tls?: HttpTls | undefined; allowPlainHttp?: boolean | undefined; publicUrl?: string | undefined }, identity: HqIdentity): HttpPlan {
  if (options.tls === 'hq') return { tls: { cert: `${identity.cert.trim()}\n${identity.caCert.trim()}\n`, key: identity.key } };
  if (options.tls) return { tls: options.tls };
  const publicHost = options.publicUrl?.startsWith('http://') ? new URL(options.publicUrl).hostname : undefined;
  const exposed = [options.host, ...(publicHost ? [publicHost] : [])].filter((host) => !isLoopback(host));
  if (!exposed.length) return { tls: undefined };
  if (options.allowPlainHttp) {
    return { tls: undefined, warning: `The HTTP API is served in clear text on ${exposed.join(', ')} (server.allowPlainHttp): admin tokens and agent requests cross the network unencrypted unless a TLS proxy is in front.` };
  }
  throw new HandoffError('SERVER_PLAIN_HTTP_REFUSED', `Refusing to serve the HTTP API in clear text on ${exposed.join(', ')}`, {
    details: { hosts: exposed },
    hint: 'Set server.tls.cert and server.tls.key (certificate files), or leave them out to use HQ\'s own certificate; bind to 127.0.0.1 behind a TLS proxy; or, on a trusted network only, set server.allowPlainHttp: true.',
  });
}

/**
 * How a command on HQ's machine reaches the API `handoff serve` runs from this
 * config: its scheme, and HQ's own CA to trust (from the data folder) when
 * the server may be serving HQ's certificate.
 */
export async function localApiOf(config: HandoffConfig, dataDir: string): Promise<{ scheme: 'http' | 'https'; ca?: string | undefined }> {
  const ca = await readFile(path.join(dataDir, 'identity', 'ca.pem'), 'utf8').catch(() => undefined);
  const plain = !config.server.tls && (isLoopback(config.server.host) || config.server.allowPlainHttp);
  return { scheme: plain ? 'http' : 'https', ca };
}
