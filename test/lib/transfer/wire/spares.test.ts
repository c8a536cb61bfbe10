import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrameSocket, Head } from '../../../../lib/transfer/wire/frames.ts';
import { expectSameTree, listAndSend, makeTree, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const HQ = { kind: 'hq' } as const;
const VENDOR = { kind: 'vendor', vendor: 'CompersInc' } as const;
const CHUNK = 64 * 1024;
const SMALL_CHUNK = 4096;

/** `count` small files of distinct sizes under `folder` (relative path → size), a few batches' worth. */
function smallFiles(folder: string, count: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, n) => [`${folder}/f${String(n).padStart(2, '0')}.json`, 2000 + n]));
}

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

  it('a batch of small files on a stream that stopped moving goes again on another; its late copy overwrites nothing', async () => {
    wire = await startWire();
    const files = smallFiles('dailies', 60);
    await makeTree(wire.hqRoot, files);
    const session = wire.listener.session('CompersInc')!;
    const stuck = session.connections()[0]!;
    const send = stuck.send.bind(stuck);
    const held: { head: Head; body: Buffer[] }[] = [];
    stuck.send = async (head, ...body) => {
      held.push({ head, body: body.map((part) => Buffer.from(part)) });
      stuck.reserved = false;
    };
    const outcome = await listAndSend(wire.transport, HQ, VENDOR, [{ taskId: 't', source: 'dailies', destination: 'dailies' }]);
    expect(outcome.failed).toEqual([]);
    expect(await expectSameTree(wire.hqRoot, wire.vendorRoot)).toBe(60);
    expect(held.length).toBeGreaterThan(0);
    expect(wire.transport.stats().spareBatches).toBe(held.length);
    expect(outcome.progress.get('t')).toBe(Object.values(files).reduce((sum, size) => sum + size, 0));
    // A newer version lands at the vendor before the stuck copy finally arrives: the agent has
    // written that batch already, answers the copy with its results and leaves the file alone.
    const first = (held[0]!.head.files as { destination: string }[])[0]!.destination;
    await writeFile(path.join(wire.vendorRoot, first), 'newer');
    stuck.send = send;
    for (const frame of held) await send(frame.head, ...frame.body);
    for (let waited = 0; stuck.unacked > 0; waited++) {
      expect(waited, 'the late copies are answered').toBeLessThan(400);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await readFile(path.join(wire.vendorRoot, first), 'utf8')).toBe('newer');
    expect(stuck.isOpen).toBe(true);
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

  it('an upload asks again for a batch stuck on a stream HQ stopped reading; each file lands and counts once', async () => {
    wire = await startWire();
    const files = smallFiles('renders', 60);
    await makeTree(wire.vendorRoot, files);
    const session = wire.listener.session('CompersInc')!;
    const stuck = session.connections()[0]!;
    stuck.socket.pause();
    const outcome = await listAndSend(wire.transport, VENDOR, HQ, [{ taskId: 't', source: 'renders', destination: 'renders' }]);
    expect(outcome.failed).toEqual([]);
    expect(outcome.done).toHaveLength(60);
    expect(await expectSameTree(wire.vendorRoot, wire.hqRoot)).toBe(60);
    expect(wire.transport.stats().spareBatches).toBeGreaterThan(0);
    expect(outcome.progress.get('t')).toBe(Object.values(files).reduce((sum, size) => sum + size, 0));
    // The stuck copies now arrive for a finished batch: answered and dropped, the connection stays.
    stuck.socket.resume();
    const again = await listAndSend(wire.transport, VENDOR, HQ, [{ taskId: 'u', source: 'renders', destination: 'again' }]);
    expect(again.failed).toEqual([]);
    expect(stuck.isOpen).toBe(true);
  });
});
