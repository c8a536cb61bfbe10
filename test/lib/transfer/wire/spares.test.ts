import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrameSocket } from '../../../../lib/transfer/wire/frames.ts';
import { expectSameTree, listAndSend, makeTree, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const HQ = { kind: 'hq' } as const;
const VENDOR = { kind: 'vendor', vendor: 'CompersInc' } as const;
const CHUNK = 64 * 1024;
const SMALL_CHUNK = 4096;

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

  it('an upload asks again for chunks stuck on a stream HQ stopped reading; the late copies are answered, not fatal', async () => {
    // Small chunks, so what goes onto the stream HQ stops reading fits in the kernel's buffers and the
    // agent's push completes: the stream is stuck, as behind a lost packet, not full.
    wire = await startWire({ tuning: { chunkSize: SMALL_CHUNK, smallFileMax: 1024, window: 8 } });
    await makeTree(wire.vendorRoot, { 'renders/comp.bin': 40 * SMALL_CHUNK + 11 });
    const session = wire.listener.session('CompersInc')!;
    const stuck = session.connections()[0]!;
    stuck.socket.pause();
    const outcome = await listAndSend(wire.transport, VENDOR, HQ, [{ taskId: 't', source: 'renders', destination: 'renders' }]);
    expect(outcome.failed).toEqual([]);
    expect(await expectSameTree(wire.vendorRoot, wire.hqRoot)).toBe(1);
    expect(wire.transport.stats().spareChunks).toBeGreaterThan(0);
    // Progress counts each chunk once, whichever copy landed.
    expect(outcome.progress.get('t')).toBe(40 * SMALL_CHUNK + 11);
    // The stuck copies now arrive for a finished file: answered and dropped, the connection stays.
    stuck.socket.resume();
    const again = await listAndSend(wire.transport, VENDOR, HQ, [{ taskId: 'u', source: 'renders', destination: 'again' }]);
    expect(again.failed).toEqual([]);
    expect(stuck.isOpen).toBe(true);
  });
});
