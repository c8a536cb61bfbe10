/**
 * Starts the emulator: builds the site (from a saved file, or an optional
 * studio seed), and serves both APIs, uploads, downloads and fault injection
 * on one loopback port.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandoffError } from '../../../core/errors.ts';
import { loadStudioSeed, type StudioSeed } from '../../../tracker/seed.ts';
import { applyStudioSeed } from '../seed.ts';
import { createSite, ensureScriptUser, type Site } from '../site.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { readSnapshot, restoreSnapshot, SnapshotWriter } from './persist.ts';
import { createRoutes } from './routes.ts';

export interface ShotgridEmulatorOptions {
  /** 0 or unset picks a free port. */
  port?: number;
  host?: string;
  /** A shipped seed name (`demo`), a seed file path, or a parsed seed. */
  seed?: string | StudioSeed;
  /** Script (ApiUser) name; default `handoff`. */
  scriptName?: string;
  /** Script key; default random. */
  scriptKey?: string;
  /** Password every active HumanUser logs in with (password grant, user auth); default random. */
  userPassword?: string;
  /** Lifetime of REST access tokens in seconds; default 600. */
  tokenTtlSeconds?: number;
  /** JSON file the site is loaded from and saved to; uploads go to `<file>.blobs/`. */
  persist?: string;
  faults?: FaultOptions;
  /** How the Python client is told to upload: `storage` (PUT to a storage URL, default) or `direct` (the file in the form). */
  rpcUploads?: 'storage' | 'direct';
}

export interface ShotgridEmulator {
  /** Site URL, e.g. `http://127.0.0.1:40123` (REST under `/api/v1`, JSON-RPC at `/api3/json`). */
  url: string;
  scriptName: string;
  scriptKey: string;
  userPassword: string;
  site: Site;
  faults: FaultInjector;
  close(): Promise<void>;
}

async function buildSite(options: ShotgridEmulatorOptions, auth: { scriptName: string; scriptKey: string; userPassword: string }, baseUrl: () => string): Promise<Site> {
  const site = createSite({ ...auth, tokenTtlSeconds: options.tokenTtlSeconds ?? 600, baseUrl, ...(options.persist ? { blobsDir: `${options.persist}.blobs` } : {}) });
  const saved = options.persist ? await readSnapshot(options.persist) : undefined;
  if (saved) {
    restoreSnapshot(saved, site.table, site.schema);
    ensureScriptUser(site, auth.scriptName);
    return site;
  }
  const seed = typeof options.seed === 'string' ? await loadStudioSeed(options.seed) : options.seed;
  const script = ensureScriptUser(site, auth.scriptName);
  if (seed) {
    site.records.events.enabled = false;
    try {
      site.table.transaction(() => applyStudioSeed(site.records, site.schema, seed, { user: script, sessionUuid: null }));
    } finally {
      site.records.events.enabled = true;
    }
  }
  return site;
}

export async function startShotgridEmulator(options: ShotgridEmulatorOptions = {}): Promise<ShotgridEmulator> {
  const host = options.host ?? '127.0.0.1';
  const auth = { scriptName: options.scriptName ?? 'handoff', scriptKey: options.scriptKey ?? randomBytes(24).toString('hex'), userPassword: options.userPassword ?? randomUUID() };
  let url = '';
  const site = await buildSite(options, auth, () => url);
  const faults = new FaultInjector(options.faults ?? {});
  const writer = options.persist ? new SnapshotWriter(options.persist, site.table, site.schema) : undefined;
  await writer?.schedule();
  const routes = createRoutes(site, faults, { uploads: options.rpcUploads ?? 'storage' });
  const server = createServer((req, res) => {
    void routes(req, res)
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String((err as Error).message));
      })
      .finally(() => void writer?.schedule().catch((err: unknown) => console.error(`ShotGrid emulator: saving ${options.persist} failed:`, err)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HandoffError('SHOTGRID_EMULATOR_START_FAILED', `The ShotGrid emulator cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, {
          cause: err,
          details: { host, port: options.port ?? 0 },
          hint: err.code === 'EADDRINUSE' ? 'Choose another --port, or stop what is using it.' : 'Check the host and port.',
        }),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    ...auth,
    site,
    faults,
    close: () =>
      (closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await writer?.schedule();
      })()),
  };
}
