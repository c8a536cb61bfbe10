import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createEmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import { createTransferRouter } from '../../../lib/transfer/http-api.ts';
import { createRemoteTransfer } from '../../../lib/transfer/remote.ts';
import { testTransferAdapter } from '../../conformance/transfer.ts';

async function serve(token: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-remote-'));
  const roots = { hq: { proj: path.join(dir, 'hq') }, vendors: { CompersInc: path.join(dir, 'compers'), OtherVendor: path.join(dir, 'other') } };
  for (const root of [roots.hq.proj, roots.vendors.CompersInc, roots.vendors.OtherVendor]) await mkdir(root, { recursive: true });
  const embedded = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots });
  const app = express();
  app.use('/api/transfer', createTransferRouter({ adapter: embedded, token }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/transfer`;
  return {
    url,
    roots,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await embedded.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

testTransferAdapter('remote', async () => {
  const server = await serve('s3cret-token');
  const adapter = createRemoteTransfer({ url: server.url, token: 's3cret-token' });
  return {
    adapter,
    hqRoot: server.roots.hq.proj,
    vendorRoots: server.roots.vendors,
    async close() {
      await adapter.close();
      await server.close();
    },
  };
});

describe('transfer HTTP API', () => {
  it('refuses requests without the right bearer token', async () => {
    const server = await serve('right-token');
    try {
      const wrong = createRemoteTransfer({ url: server.url, token: 'wrong-token' });
      await expect(wrong.listJobs()).rejects.toMatchObject({ code: 'TRANSFER_UNAUTHORIZED' });
      const bare = await fetch(`${server.url}/jobs`);
      expect(bare.status).toBe(401);
      expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('TRANSFER_UNAUTHORIZED');
    } finally {
      await server.close();
    }
  });

  it('answers malformed requests with 400 and the error code', async () => {
    const server = await serve('tok');
    try {
      const post = (route: string, body: string) =>
        fetch(`${server.url}${route}`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body });
      const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];
      expect(await codeOf(await post('/jobs', '{not json'))).toEqual([400, 'TRANSFER_REQUEST_INVALID']);
      expect(await codeOf(await post('/jobs', JSON.stringify({ name: 'x', source: { kind: 'moon' }, destination: { kind: 'hq' } })))).toEqual([400, 'TRANSFER_JOB_INVALID']);
      const job = (await (await post('/jobs', JSON.stringify({ name: 'x', source: { kind: 'hq' }, destination: { kind: 'hq' } }))).json()) as { id: string };
      expect(await codeOf(await post(`/jobs/${job.id}/tasks`, JSON.stringify({ tasks: 'scd' })))).toEqual([400, 'TRANSFER_TASK_INVALID']);
      expect(await codeOf(await post(`/jobs/${job.id}/prioritise`, JSON.stringify({ priority: 'high' })))).toEqual([400, 'TRANSFER_PRIORITY_INVALID']);
      expect(await codeOf(await post('/jobs/nope/pause', '{}'))).toEqual([404, 'TRANSFER_JOB_NOT_FOUND']);
    } finally {
      await server.close();
    }
  });

  it('reports an unreachable server as retryable', async () => {
    const adapter = createRemoteTransfer({ url: 'http://127.0.0.1:1/api/transfer', token: 't' });
    await expect(adapter.listJobs()).rejects.toMatchObject({ code: 'TRANSFER_REMOTE_UNAVAILABLE', retryable: true });
  });
});
