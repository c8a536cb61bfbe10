import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../../lib/transfer/wire/session.ts';
import { expectSameTree, listAndSend, makeTree } from './harness.ts';
import type { Wire } from './harness.ts';
import { startWire } from './harness.ts';

const hq = { kind: 'hq' } as const;
const vendor = { kind: 'vendor', vendor: 'CompersInc' } as const;

/** Bytes each of HQ's data connections has carried in the direction of the transfer. */
function carried(session: AgentSession, direction: 'deliver' | 'upload'): Map<unknown, number> {
  return new Map(session.connections().map((framed) => [framed, direction === 'deliver' ? framed.socket.bytesWritten : framed.socket.bytesRead]));
}

/** How many connections carried more than `least` bytes since `before`. */
function busier(session: AgentSession, direction: 'deliver' | 'upload', before: Map<unknown, number>, least: number): number {
  let count = 0;
  for (const [framed, bytes] of carried(session, direction)) if (bytes - (before.get(framed) ?? 0) > least) count++;
  return count;
}

describe('small-file bursts spread over the extra connections', () => {
  let wire: Wire | undefined;
  afterEach(async () => {
    await wire?.cleanup();
    wire = undefined;
  });

  it.each(['deliver', 'upload'] as const)('%s: large files keep to the governed streams, a burst of small files takes every connection', async (direction) => {
    wire = await startWire();
    const session = wire.listener.session('CompersInc')!;
    session.spreadStreams = 5;
    await session.setStreams(2);
    for (let waited = 0; session.streams < 5; waited++) {
      expect(waited, 'the agent opens the spread connections').toBeLessThan(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [from, to, root, other] = direction === 'deliver' ? [hq, vendor, wire.hqRoot, wire.vendorRoot] : [vendor, hq, wire.vendorRoot, wire.hqRoot];
    await makeTree(path.join(root, 'big'), { 'cache.bin': 2 * 1024 * 1024, 'plate.exr': 1024 * 1024 });
    const small: Record<string, number> = {};
    for (let n = 0; n < 120; n++) small[`f${String(n).padStart(3, '0')}.json`] = 2048 + n;
    await makeTree(path.join(root, 'small'), small);

    let before = carried(session, direction);
    const large = await listAndSend(wire.transport, from, to, [{ taskId: 't1', source: 'big', destination: 'big' }]);
    expect(large.failed).toEqual([]);
    expect(busier(session, direction, before, 256 * 1024)).toBe(2);
    expect(busier(session, direction, before, 32 * 1024)).toBe(2);

    before = carried(session, direction);
    const burst = await listAndSend(wire.transport, from, to, [{ taskId: 't2', source: 'small', destination: 'small' }]);
    expect(burst.failed).toEqual([]);
    expect(busier(session, direction, before, 2048)).toBe(5);
    expect(await expectSameTree(path.join(root, 'small'), path.join(other, 'small'))).toBe(120);
    expect(await expectSameTree(path.join(root, 'big'), path.join(other, 'big'))).toBe(2);
  });
});
