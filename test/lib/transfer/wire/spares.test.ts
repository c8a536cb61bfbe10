import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrameSocket } from '../../../../lib/transfer/wire/frames.ts';
import { expectSameTree, listAndSend, makeTree, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const HQ = { kind: 'hq' } as const;
const VENDOR = { kind: 'vendor', vendor: 'CompersInc' } as const;
const CHUNK = 64 * 1024;

/** From now on, chunks given to `socket` leave as far as HQ can tell and are never answered: a stream that stopped moving. */
function blackHole(socket: FrameSocket): void {
  socket.send = async () => {
    socket.reserved = false;
  };
}

describe('spare copies of slow chunks', () => {
  let wire: Wire | undefined;
  afterEach(async () => {
    await wire?.cleanup();
    wire = undefined;
  });

  it('a chunk on a stream that stopped moving goes again on another, and the file lands intact with its mtime', async () => {
    wire = await startWire({ tuning: { chunkSize: CHUNK, window: 8 } });
    await makeTree(wire.hqRoot, { 'plates/plate.bin': 40 * CHUNK + 11, 'plates/other.bin': 12 * CHUNK });
    const session = wire.listener.session('CompersInc')!;
    blackHole(session.connections()[0]!);
    const outcome = await listAndSend(wire.transport, HQ, VENDOR, [{ taskId: 't', source: 'plates', destination: 'plates' }]);
    expect(outcome.failed).toEqual([]);
    expect(await expectSameTree(wire.hqRoot, wire.vendorRoot)).toBe(2);
    const stats = wire.transport.stats();
    expect(stats.spareChunks).toBeGreaterThan(0);
    // Every chunk once, plus nothing but spares: a spare that wins is not sent a third time.
    expect(stats.chunksSent).toBe(53);
    expect(outcome.progress.get('t')).toBe(52 * CHUNK + 11);
    expect((await stat(path.join(wire.vendorRoot, 'plates/plate.bin'))).mtimeMs).toBe((await stat(path.join(wire.hqRoot, 'plates/plate.bin'))).mtimeMs);
  });
});
