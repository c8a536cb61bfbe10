/** Options of `createHqServer`, checked when the server is built so a bad one fails by name. */
import type { ActionDefinition } from '../actions/index.ts';
import { HandoffError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { HandoffConfig } from '../core/config/index.ts';
import type { Hook, HookConfigEntry } from '../hooks/index.ts';
import type { Tracker } from '../tracker/types.ts';
import type { Limits, RetryPolicy } from '../transfer/core/index.ts';
import type { HttpTls } from './http-security.ts';

export interface HqServerOptions {
  /** Folder for the transfer and server databases, HQ's identity and the outbox. */
  dataDir: string;
  /** HQ storage volumes by name, the first being the default; default: the config's volumes. */
  volumes?: Record<string, string> | undefined;
  /** Vendor folders mounted on this machine (same-site copies, tests), by vendor code. */
  vendorRoots?: Record<string, string> | undefined;
  /** HTTP address; default 127.0.0.1 and port 0 (a free port). */
  host?: string | undefined;
  port?: number | undefined;
  /**
   * HTTPS for the API: certificate and key PEM texts, or `hq` for HQ's own
   * certificate (the one agents pin). Without it the API is plain HTTP, which
   * only a loopback host or `allowPlainHttp` permits.
   */
  tls?: HttpTls | undefined;
  /** Serve plain HTTP beyond loopback (behind a TLS proxy on a trusted network); warned at start. */
  allowPlainHttp?: boolean | undefined;
  /** Where vendor agents connect (TLS); default 127.0.0.1, port 0. `false`: no agents. */
  listen?: { host?: string | undefined; port?: number | undefined } | false | undefined;
  /** The URL vendors and people reach this server at (config server.publicUrl), when it differs from host:port. */
  publicUrl?: string | undefined;
  /** The agent address vendors dial (config transfer.publicAddress), handoff://HOST:PORT, when it differs from listen. */
  publicWireUrl?: string | undefined;
  /** Extra host names in HQ's TLS certificate (the address vendors dial). */
  publicHosts?: string[] | undefined;
  /** Bearer tokens for people and scripts; at least one, each 16+ characters. */
  adminTokens: string[];
  /** The studio config: vendors, Outsource settings, hooks; optional for a bare transfer server. */
  config?: HandoffConfig | undefined;
  /** The production tracker; actions are served on its channel when it has one. The caller closes it. */
  tracker?: Tracker | undefined;
  /** Actions to serve; default every action in the built-in actions/ folder. */
  actions?: ActionDefinition[] | undefined;
  /** Hook folders (default the built-in hooks/ plus the config's), config entries, and hook objects. */
  hookFolders?: string[] | undefined;
  hookEntries?: HookConfigEntry[] | undefined;
  hooks?: Hook[] | undefined;
  limits?: Limits | undefined;
  retry?: RetryPolicy | undefined;
  /** Data connections per agent (`auto` measures the link). */
  streams?: number | 'auto' | undefined;
  logger?: Logger | undefined;
  /** SSE keep-alive interval; default 15 s. */
  heartbeatMs?: number | undefined;
}

export function checkServerOptions(options: HqServerOptions): void {
  const problems: string[] = [];
  if (!options || typeof options.dataDir !== 'string' || options.dataDir === '') problems.push('dataDir: a folder for the databases is required');
  const tokens = options?.adminTokens;
  if (!Array.isArray(tokens) || tokens.length === 0) problems.push('adminTokens: at least one admin token is required');
  else if (tokens.some((t) => typeof t !== 'string' || t.length < 16)) problems.push('adminTokens: each token needs at least 16 characters');
  const volumes = options?.volumes ?? {};
  if (Object.values(volumes).some((v) => typeof v !== 'string' || v === '')) problems.push('volumes: each volume needs a folder');
  if (options?.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) problems.push('port: 0..65535');
  if (problems.length) {
    throw new HandoffError('SERVER_OPTIONS_INVALID', `The HQ server options are invalid:\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'Fix each listed option; `handoff serve` reads them from the config and the environment.',
    });
  }
}
