import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { createOutbox, type DeliveryRequest } from '../../../lib/outsource/index.ts';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../lib/transfer/index.ts';

const offline = new HandoffError('TRANSFER_REMOTE_UNAVAILABLE', 'down', { retryable: true });
const request = (name: string, source = 'scd/a.exr'): DeliveryRequest => ({
  job: { name, source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, mirrorPaths: true },
  tasks: [{ source }],
});

describe('outbox', () => {
  let dir: string;
  let transfer: EmbeddedTransfer;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-outbox-'));
    await mkdir(path.join(dir, 'hq'));
    transfer = createEmbeddedTransfer({ dataDir: dir, roots: { hq: { proj: path.join(dir, 'hq') } }, schedule: false });
  });
  afterEach(async () => {
    await transfer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps requests in order and replays them into the transfer core, idempotently', async () => {
    const outbox = createOutbox(path.join(dir, 'outbox'));
    await outbox.put(request('one'), offline);
    await outbox.put(request('two'), offline);
    await outbox.put(request('one'), offline);
    expect((await outbox.list()).map((e) => e.request.job.name)).toEqual(['one', 'two', 'one']);
    const drained = await outbox.drain(transfer);
    expect(drained.sent.map((s) => [s.done.job.name, s.done.appended.added.length, s.done.appended.retried.length])).toEqual([
      ['one', 1, 0],
      ['two', 1, 0],
      ['one', 0, 1],
    ]);
    expect(await outbox.list()).toEqual([]);
    expect((await transfer.listJobs()).map((j) => j.name).sort()).toEqual(['one', 'two']);
  });

  it('moves a request the core refuses to failed/ with its error and goes on with the rest', async () => {
    const outbox = createOutbox(path.join(dir, 'outbox'));
    await outbox.put(request('bad', '../outside.exr'), offline);
    await outbox.put(request('good'), offline);
    const drained = await outbox.drain(transfer);
    expect(drained.failed.map((f) => f.error.code)).toEqual(['TRANSFER_TASK_INVALID']);
    expect(drained.sent.map((s) => s.done.job.name)).toEqual(['good']);
    expect(await readdir(path.join(dir, 'outbox', 'failed'))).toHaveLength(1);
  });

  it('stops at the first retryable failure and keeps the rest', async () => {
    const outbox = createOutbox(path.join(dir, 'outbox'));
    await outbox.put(request('one'), offline);
    const down = { ...transfer, ensureJob: () => Promise.reject(offline), listJobs: () => Promise.resolve([]) };
    const drained = await outbox.drain(down);
    expect(drained).toMatchObject({ sent: [], failed: [], pending: 1 });
    expect(drained.blockedBy?.code).toBe('TRANSFER_REMOTE_UNAVAILABLE');
    expect(await outbox.list()).toHaveLength(1);
  });
});
