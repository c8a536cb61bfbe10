/**
 * Starts the emulator: builds the store (from a saved file, or built-ins plus
 * an optional studio seed), wires the API, uploads, downloads, event hub and
 * fault injection into one HTTP server on loopback.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandoffError } from '../../../core/errors.ts';
import { loadStudioSeed, type StudioSeed } from '../../../tracker/seed.ts';
import { ApiDispatcher, BlobStore, UploadTargets } from '../api/index.ts';
import { addBuiltins } from '../builtins.ts';
import { createEventHub, type FtrackEventHub } from '../event-hub/index.ts';
import { applyStudioSeed } from '../seed.ts';
import { createEntity, EntityGraph, TableStore } from '../store/index.ts';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { readSnapshot, SnapshotWriter } from './persist.ts';
import { createRoutes } from './routes.ts';
import { updateEvent } from './update-events.ts';

export interface FtrackEmulatorOptions {
  /** 0 or unset picks a free port. */
  port?: number;
  host?: string;
  /** A shipped seed name (`demo`), a seed file path, or a parsed seed. */
  seed?: string | StudioSeed;
  /** API user; default the seed's first user, else `admin`. Created when missing. */
  user?: string;
  /** API key every active user authenticates with; default a random uuid. */
  apiKey?: string;
  /** JSON file the store is loaded from and saved to; uploads go to `<file>.blobs/`. */
  persist?: string;
  faults?: FaultOptions;
  /** Serve the event hub (default true). */
  eventHub?: boolean;
  heartbeatMs?: number;
}

export interface FtrackEmulator {
  url: string;
  user: string;
  apiKey: string;
  store: TableStore;
  hub: FtrackEventHub | undefined;
  faults: FaultInjector;
  /** Reads the store as the API user would (for tests and tools). */
  graph(): EntityGraph;
  /** Changes the store server-side, committed like a batch (persisted, published). */
  mutate(change: (graph: EntityGraph) => void): Promise<void>;
  close(): Promise<void>;
}

async function buildStore(options: FtrackEmulatorOptions, file: string | undefined): Promise<{ store: TableStore; seed: StudioSeed | undefined }> {
  const store = new TableStore();
  const saved = file ? await readSnapshot(file) : undefined;
  if (saved) {
    store.load(saved);
    return { store, seed: undefined };
  }
  const seed = typeof options.seed === 'string' ? await loadStudioSeed(options.seed) : options.seed;
  store.transaction(() => {
    const graph = new EntityGraph(store, '');
    addBuiltins(graph);
    if (seed) applyStudioSeed(graph, seed);
  });
  return { store, seed };
}

export async function startFtrackEmulator(options: FtrackEmulatorOptions = {}): Promise<FtrackEmulator> {
  const host = options.host ?? '127.0.0.1';
  const { store, seed } = await buildStore(options, options.persist);
  const user = options.user ?? seed?.users[0]?.username ?? store.scan('User')[0]?.username?.toString() ?? 'admin';
  const apiKey = options.apiKey ?? randomUUID();
  if (!store.scan('User').some((u) => u.username === user)) {
    store.transaction(() => createEntity(new EntityGraph(store, ''), 'User', { username: user, first_name: 'API', last_name: 'User' }));
  }
  const writer = options.persist ? new SnapshotWriter(options.persist, store) : undefined;
  await writer?.flush();

  const blobs = new BlobStore(options.persist ? `${options.persist}.blobs` : undefined);
  const uploads = new UploadTargets(blobs);
  const faults = new FaultInjector(options.faults ?? {});
  let url = '';
  let hub: FtrackEventHub | undefined;
  const dispatcher = new ApiDispatcher({
    store,
    blobs,
    uploads,
    apiKey,
    baseUrl: () => url,
    onCommit: (changes, actor) => {
      void writer?.schedule().catch((err: unknown) => console.error(`ftrack emulator: saving ${options.persist} failed:`, err));
      if (hub && changes.length) hub.publish(updateEvent(new EntityGraph(store, url), changes, actor));
    },
  });
  if (options.eventHub !== false) {
    hub = createEventHub({
      authenticate: (name, key) => {
        const found = dispatcher.authenticate(name, key);
        return found ? { id: String(found.id), username: String(found.username) } : undefined;
      },
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    });
  }
  const routes = createRoutes({ dispatcher, uploads, blobs, faults, hub, findComponent: (id) => store.byId(id) });
  const server = createServer((req, res) => {
    routes(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ exception: 'ServerError', content: (err as Error).message, error_code: null }));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hub?.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HandoffError(err.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'FTRACK_EMULATOR_START_FAILED', `The ftrack emulator cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, {
          cause: err,
          retryable: err.code === 'EADDRINUSE',
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
    user,
    apiKey,
    store,
    hub,
    faults,
    graph: () => new EntityGraph(store, url, store.scan('User').find((u) => u.username === user)?.id as string | undefined),
    mutate: (change) => dispatcher.mutate(change),
    close: () =>
      (closing ??= (async () => {
        await hub?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await writer?.flush();
      })()),
  };
}
