/**
 * One way for any command to reach HQ. With `--server URL` (or HANDOFF_SERVER,
 * alias HANDOFF_URL) a command talks to a running `handoff serve` over HTTP,
 * with the admin token from HANDOFF_TOKEN (aliases HANDOFF_ADMIN_TOKEN and
 * HANDOFF_ADMIN_TOKENS, each also as a `_FILE`), else the config's
 * server.adminTokens, else the token `serve` generated into its data folder.
 * Without a server, commands work on the data folder of the config in use
 * (transfer.dataDir), overridden by `--data-dir` or HANDOFF_DATA_DIR.
 */
import os from 'node:os';
import path from 'node:path';
import type { HandoffConfig } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import { readSecretFile, secretFromEnv, splitTokens } from '../server/secrets.ts';

/** The token variable, then its documented aliases, in the order they are read. */
export const TOKEN_VARIABLES = ['HANDOFF_TOKEN', 'HANDOFF_ADMIN_TOKEN', 'HANDOFF_ADMIN_TOKENS'] as const;

export const expandHome = (p: string): string => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p);

/** The server's base URL (`http://hq:8730`) from what a person typed, also when it names `/api/transfer`. */
export function hqBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('http://invalid');
  }
  if (!/^https?:$/.test(url.protocol) || url.hostname === 'invalid') {
    throw new HandoffError('CLI_OPTION_INVALID', `--server must be the HTTP address of \`handoff serve\`, not ${JSON.stringify(text)}`, {
      hint: 'For example --server http://hq.studio.example:8730 (server.publicUrl in the HQ config).',
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api(\/transfer)?$/, '')}`;
}

/** The server named by `--server`, else HANDOFF_SERVER or HANDOFF_URL. */
export function serverOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const given = flag ?? (env['HANDOFF_SERVER'] || env['HANDOFF_URL']);
  return given ? hqBaseUrl(given) : undefined;
}

/** The data folder: `--data-dir`, else HANDOFF_DATA_DIR, else the config's transfer.dataDir. */
export function dataDirOf(flag: string | undefined, env: NodeJS.ProcessEnv, config: HandoffConfig | undefined): string {
  return path.resolve(expandHome(flag ?? (env['HANDOFF_DATA_DIR'] || config?.transfer.dataDir || '~/.handoff')));
}

/** An admin token for HQ's API, or CLI_TOKEN_MISSING naming where one is looked for. */
export async function adminToken(env: NodeJS.ProcessEnv, config: HandoffConfig | undefined, dataDir: string | undefined): Promise<string> {
  for (const name of TOKEN_VARIABLES) {
    const value = await secretFromEnv(name, env);
    const first = value ? splitTokens(value)[0] : undefined;
    if (first) return first;
  }
  if (config?.server.adminTokens[0]) return config.server.adminTokens[0];
  if (dataDir) {
    const generated = await readSecretFile(path.join(dataDir, 'admin-token'), 'the generated admin token').catch(() => undefined);
    if (generated) return generated;
  }
  throw new HandoffError('CLI_TOKEN_MISSING', 'No admin token for the HQ server', {
    hint: 'Set HANDOFF_TOKEN (or HANDOFF_TOKEN_FILE) to one of the server\'s admin tokens: server.adminTokens, or the admin-token file in its data folder.',
  });
}

/** A host to dial on this machine for one a server listens on (a wildcard means every local address). */
export function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
