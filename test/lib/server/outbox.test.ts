import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { createOutbox } from '../../../lib/outsource/index.ts';
import { replayOutbox } from '../../../lib/server/outbox.ts';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../lib/transfer/index.ts';

describe('the server replays the Outsource outbox', () => {
  let dir: string;
  let transfer: EmbeddedTransfer;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-replay-'));
    await mkdir(path.join(dir, 'hq'));
    transfer = createEmbeddedTransfer({ dataDir: dir, roots: { hq: { proj: path.join(dir, 'hq') } }, schedule: false });
  });
  afterEach(async () => {
    await transfer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers what waited in the outbox when it starts, and stops when the server closes', async () => {
    const outbox = createOutbox(path.join(dir, 'outbox'));
    const offline = new HandoffError('TRANSFER_REMOTE_UNAVAILABLE', 'down', { retryable: true });
    await outbox.put({ job: { name: 'Outsource - download - scd - CompersInc - 261121', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, mirrorPaths: true }, tasks: [{ source: 'scd/a.exr' }] }, offline);
    const closing = new AbortController();
    const drained = new Promise<number>((resolve) => {
      void replayOutbox({ outbox, transfer, signal: closing.signal, everyMs: 60_000, onDrained: (sent) => resolve(sent) }).then(() => resolve(-1));
    });
    expect(await drained).toBe(1);
    expect(await outbox.list()).toEqual([]);
    expect((await transfer.listJobs()).map((job) => job.name)).toEqual(['Outsource - download - scd - CompersInc - 261121']);
    const stopped = replayOutbox({ outbox, transfer, signal: closing.signal });
    closing.abort();
    await expect(stopped).resolves.toBeUndefined();
  });
});
