/**
 * Graceful shutdown checkpoints a running delivery: chunks verified before the
 * stop stay in the ledger, and the next start resumes the file from them.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/core/log.ts';
import { createHqServer, type HqServerOptions } from '../../../lib/server/index.ts';
import { createEmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import type { JobEvent } from '../../../lib/transfer/types.ts';
import { waitForJobEnd } from '../../support/transfer-wait.ts';
import { ADMIN, writeBytes } from './fixture.ts';

const CHUNK = 8 * 1024 * 1024; // the local transport's chunk
const SIZE = 3 * CHUNK;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function firstEvent(iterable: AsyncIterable<JobEvent>, match: (event: JobEvent) => boolean): Promise<JobEvent> {
  for await (const event of iterable) if (match(event)) return event;
  throw new Error('the event stream ended before the expected event');
}

describe('HQ server shutdown', () => {
  it('keeps verified chunks of an interrupted delivery and resumes from them after a restart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-shutdown-'));
    dirs.push(dir);
    const hqRoot = path.join(dir, 'hq');
    const vendorRoot = path.join(dir, 'vendor');
    await mkdir(vendorRoot, { recursive: true });
    await writeBytes(hqRoot, 'scd/plate.mov', SIZE);
    const options: HqServerOptions = {
      dataDir: path.join(dir, 'data'),
      volumes: { proj: hqRoot },
      vendorRoots: { CompersInc: vendorRoot },
      adminTokens: [ADMIN],
      listen: false,
      limits: { bandwidth: 12_000_000 },
      logger: createLogger('server', { level: 'silent' }),
    };

    const first = await createHqServer(options);
    const stop = new AbortController();
    const events = first.transfer.watch({ signal: stop.signal });
    const job = await first.transfer.ensureJob({ name: 'Plate', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: 'scd/plate.mov' }] });
    await firstEvent(events, (e) => e.type === 'job.progress' && e.job.id === job.id && e.job.progress.bytesDone >= CHUNK);
    stop.abort();
    await first.close();
    const reader = createEmbeddedTransfer({ dataDir: options.dataDir, schedule: false });
    const checkpoint = (await reader.listTasks(job.id))[0]!;
    await reader.close();
    expect(checkpoint.status, JSON.stringify(checkpoint)).not.toBe('done');

    const second = await createHqServer(options);
    try {
      const resumed = second.transfer.watch({ jobId: job.id });
      const progress = await firstEvent(resumed, (e) => e.type === 'job.progress');
      // The ledger's chunks are counted before any new byte is sent.
      expect(progress.job.progress.bytesDone).toBeGreaterThanOrEqual(CHUNK);
      expect((await waitForJobEnd(second.transfer, job.id, 30_000)).status).toBe('done');
      expect((await readFile(path.join(vendorRoot, 'scd/plate.mov'))).equals(await readFile(path.join(hqRoot, 'scd/plate.mov')))).toBe(true);
    } finally {
      await second.close();
    }
  }, 40_000);
});
