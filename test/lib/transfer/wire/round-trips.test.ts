import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectSameTree, listAndSend, makeTree, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const HQ = { kind: 'hq' } as const;
const VENDOR = { kind: 'vendor', vendor: 'CompersInc' } as const;
const CHUNK = 64 * 1024;

describe('round trips of a large file', () => {
  let wire: Wire | undefined;
  afterEach(async () => {
    await wire?.cleanup();
    wire = undefined;
  });

  it("a fresh file's chunks leave before its prepare is answered, and its last chunk puts it in place without a finish", async () => {
    wire = await startWire({ tuning: { chunkSize: CHUNK, window: 8 } });
    await makeTree(wire.hqRoot, { 'plates/plate.bin': 20 * CHUNK + 5, 'plates/other.bin': 3 * CHUNK });
    const session = wire.listener.session('CompersInc')!;
    let chunkSent!: () => void;
    const firstChunk = new Promise<void>((resolve) => (chunkSent = resolve));
    for (const socket of session.connections()) {
      const send = socket.send.bind(socket);
      socket.send = (head, ...body) => {
        if (head.t === 'c') chunkSent();
        return send(head, ...body);
      };
    }
    // Prepares are answered only once a chunk has left (or after 5 s, when HQ waited for them).
    const ops: string[] = [];
    let answeredFirst = false;
    const request = session.request.bind(session);
    session.request = async <T>(op: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<T> => {
      ops.push(op);
      const answer = await request<T>(op, payload, timeoutMs);
      if (op === 'prepare') {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([firstChunk, new Promise<void>((resolve) => (timer = setTimeout(() => ((answeredFirst = true), resolve()), 5_000)))]);
        clearTimeout(timer);
      }
      return answer;
    };
    const outcome = await listAndSend(wire.transport, HQ, VENDOR, [{ taskId: 't', source: 'plates', destination: 'plates' }]);
    expect(outcome.failed).toEqual([]);
    expect(answeredFirst).toBe(false);
    expect(ops.filter((op) => op === 'prepare')).toHaveLength(2);
    expect(ops).not.toContain('finish');
    expect(await expectSameTree(wire.hqRoot, wire.vendorRoot)).toBe(2);
    for (const name of ['plate.bin', 'other.bin']) {
      const [sent, landed] = await Promise.all([stat(path.join(wire.hqRoot, 'plates', name)), stat(path.join(wire.vendorRoot, 'plates', name))]);
      expect(landed.mtimeMs).toBe(sent.mtimeMs);
    }
  });
});
