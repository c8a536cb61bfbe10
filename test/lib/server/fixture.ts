/** An HQ server on free ports over temp folders, with helpers to call its API. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../lib/core/log.ts';
import { createHqServer, type HqServer, type HqServerOptions } from '../../../lib/server/index.ts';

export const ADMIN = 'admin-token-for-tests-0123456789';

export interface ServerFixture {
  server: HqServer;
  dir: string;
  hqRoot: string;
  vendorRoot: string;
  api<T = unknown>(route: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<{ status: number; body: T }>;
  cleanup(): Promise<void>;
}

export async function startServer(extra: Partial<HqServerOptions> = {}): Promise<ServerFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-server-'));
  const hqRoot = path.join(dir, 'hq');
  const vendorRoot = path.join(dir, 'vendor');
  await mkdir(hqRoot, { recursive: true });
  await mkdir(vendorRoot, { recursive: true });
  const server = await createHqServer({
    dataDir: path.join(dir, 'data'),
    volumes: { proj: hqRoot },
    vendorRoots: { CompersInc: vendorRoot },
    adminTokens: [ADMIN],
    logger: createLogger('server', { level: 'silent' }),
    ...extra,
  });
  return {
    server,
    dir,
    hqRoot,
    vendorRoot,
    async api(route, init = {}) {
      const token = init.token === undefined ? ADMIN : init.token;
      const response = await fetch(`${server.url}${route}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async cleanup() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `size` bytes of varied content at `root/relative`. */
export async function writeBytes(root: string, relative: string, size: number): Promise<void> {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) % 251;
  await writeFile(file, data);
}
