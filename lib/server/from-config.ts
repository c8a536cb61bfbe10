/**
 * What `handoff serve` builds from the studio config: the server options (the
 * tracker comes from `createTracker` in lib/tracker). Secrets (admin tokens, the tracker's API key) come from the
 * environment or files, as the config's ${VARIABLES} or NAME_FILE.
 */
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HandoffConfig } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import { isLoopback, type HttpTls } from './http-security.ts';
import type { HqServerOptions } from './options.ts';
import { ensureTokenFile, secretFromEnv, splitTokens } from './secrets.ts';

const expandHome = (p: string): string => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p);

export interface ServeOverrides {
  dataDir?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  listenHost?: string | undefined;
  listenPort?: number | undefined;
  /** No agent listener. */
  noListener?: boolean | undefined;
}

/**
 * Server options from the config. Admin tokens: server.adminTokens (usually
 * ${HANDOFF_ADMIN_TOKENS}), then HANDOFF_ADMIN_TOKENS or its _FILE, else one generated into
 * `<dataDir>/admin-token`; `tokenFile` says which file holds it then.
 */
export async function serverOptionsFromConfig(
  config: HandoffConfig,
  overrides: ServeOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ options: Omit<HqServerOptions, 'tracker'>; tokenFile?: string | undefined }> {
  const dataDir = path.resolve(expandHome(overrides.dataDir ?? config.transfer.dataDir));
  let adminTokens = [...config.server.adminTokens];
  let tokenFile: string | undefined;
  if (!adminTokens.length) {
    // A studio config that leaves server.adminTokens out still honours the environment.
    const fromEnv = await secretFromEnv('HANDOFF_ADMIN_TOKENS', env);
    adminTokens = fromEnv ? splitTokens(fromEnv) : [];
  }
  if (!adminTokens.length) {
    await mkdir(dataDir, { recursive: true });
    tokenFile = path.join(dataDir, 'admin-token');
    adminTokens = [await ensureTokenFile(tokenFile)];
  }
  const { bandwidth, retry } = config.transfer;
  const host = overrides.host ?? config.server.host;
  return {
    tokenFile,
    options: {
      dataDir,
      config,
      host,
      port: overrides.port ?? config.server.port,
      tls: await httpTlsOf(config, host),
      allowPlainHttp: config.server.allowPlainHttp,
      listen: overrides.noListener ? false : { host: overrides.listenHost ?? config.transfer.listen.host, port: overrides.listenPort ?? config.transfer.listen.port },
      publicUrl: config.server.publicUrl,
      publicWireUrl: config.transfer.publicAddress,
      publicHosts: [config.server.publicUrl, config.transfer.publicAddress].filter((url) => url !== undefined).map((url) => new URL(url).hostname.replace(/^\[|\]$/g, '')),
      adminTokens,
      limits: { bandwidth: bandwidth.total || undefined, perAgentBandwidth: bandwidth.perVendor || undefined },
      retry: {
        maxAttempts: retry.maxAttempts === 0 ? undefined : retry.maxAttempts,
        baseDelayMs: retry.initialDelay,
        maxDelayMs: retry.maxDelay,
      },
    },
  };
}

/**
 * HTTPS from server.tls's files; else HQ's own certificate when the API is
 * reachable beyond this machine and plain HTTP was not asked for.
 */
async function httpTlsOf(config: HandoffConfig, host: string): Promise<HttpTls | undefined> {
  const files = config.server.tls;
  if (files) {
    const read = async (file: string, what: string): Promise<string> => {
      try {
        return await readFile(path.resolve(file), 'utf8');
      } catch (err) {
        throw new HandoffError('SERVER_TLS_UNREADABLE', `Cannot read the HTTPS ${what} ${file}: ${(err as Error).message}`, {
          cause: err,
          details: { file },
          hint: `Check server.tls.${what === 'certificate' ? 'cert' : 'key'} and that the user running handoff may read it.`,
        });
      }
    };
    return { cert: await read(files.cert, 'certificate'), key: await read(files.key, 'key') };
  }
  return isLoopback(host) || config.server.allowPlainHttp ? undefined : 'hq';
}

/**
 * The config with its volumes pointed at `volumes` (same names), so everything
 * the server runs from the config (Outsource, publishing) uses the folders the
 * server was given.
 */
export function withVolumes(config: HandoffConfig, volumes: Record<string, string>): HandoffConfig {
  const names = Object.keys(volumes);
  const defaultVolume = config.defaultVolume && names.includes(config.defaultVolume) ? config.defaultVolume : names[0];
  return {
    ...config,
    defaultVolume,
    volumes: Object.fromEntries(Object.entries(volumes).map(([name, folder]) => [name, { ...config.volumes[name], path: folder }])) as HandoffConfig['volumes'],
    projects: Object.fromEntries(Object.entries(config.projects).map(([code, p]) => [code, { ...p, volume: p.volume && names.includes(p.volume) ? p.volume : defaultVolume }])),
    vendors: Object.fromEntries(Object.entries(config.vendors).map(([code, v]) => [code, { ...v, volume: v.volume && names.includes(v.volume) ? v.volume : defaultVolume }])),
  };
}
