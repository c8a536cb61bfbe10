import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FrameSocket } from '../../../../lib/transfer/wire/frames.ts';
import { StreamPicker } from '../../../../lib/transfer/wire/picker.ts';

/** The picker reads only these fields of a connection. */
function connection(unacked = 0, isOpen = true): FrameSocket {
  return { unacked, writing: 0, reserved: false, isOpen } as unknown as FrameSocket;
}

/** A connection's chunk was written and acknowledged. */
function free(socket: FrameSocket): void {
  socket.reserved = false;
  socket.unacked--;
}

describe('stream picker', () => {
  it('takes the free connection with the fewest unacknowledged chunks, never one still writing or over the cap', async () => {
    const [busy, writing, light, heavy] = [connection(0), connection(0), connection(1), connection(2)];
    busy.reserved = true;
    writing.writing = 1;
    const picker = new StreamPicker(() => [busy, writing, heavy, light], () => true);
    expect(await picker.pick({ perStream: 4, timeoutMs: 1000 })).toBe(light);
    expect(light).toMatchObject({ unacked: 2, reserved: true });
    expect(await picker.pick({ perStream: 4, timeoutMs: 1000 })).toBe(heavy);
    await expect(picker.pick({ perStream: 4, timeoutMs: 20 })).resolves.toBeUndefined();
    const capped = new StreamPicker(() => [connection(3)], () => true);
    await expect(capped.pick({ perStream: 3, timeoutMs: 20 })).resolves.toBeUndefined();
  });

  it('keeps to the first open connections when asked, counting a closed one out of the place', async () => {
    const [closed, first, second, spread] = [connection(0, false), connection(1), connection(1), connection(0)];
    const picker = new StreamPicker(() => [closed, first, second, spread], () => true);
    expect(await picker.pick({ perStream: 4, among: 2, timeoutMs: 1000 })).toBe(first);
    expect(await picker.pick({ perStream: 4, among: 2, timeoutMs: 1000 })).toBe(second);
    await expect(picker.pick({ perStream: 4, among: 2, timeoutMs: 20 })).resolves.toBeUndefined();
    expect(await picker.pick({ perStream: 4, timeoutMs: 1000 })).toBe(spread);
    // A waiter for the governed streams is not handed a spread connection that frees up.
    const waiting = picker.pick({ perStream: 4, among: 2, timeoutMs: 5000 });
    free(spread);
    picker.wake();
    free(second);
    picker.wake();
    await expect(waiting).resolves.toBe(second);
  });

  it('hands a freed connection to the callers in the order they came', async () => {
    const only = connection();
    const picker = new StreamPicker(() => [only], () => true);
    expect(await picker.pick({ perStream: 8, timeoutMs: 1000 })).toBe(only);
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => picker.pick({ perStream: 8, timeoutMs: 5000 }).then((socket) => (order.push(n), socket)));
    for (let round = 0; round < 3; round++) {
      free(only);
      picker.wake();
      await waiting[round];
    }
    expect(order).toEqual([1, 2, 3]);
  });

  it('an abort sends its waiters away with one listener per signal; the session ending sends away the rest', async () => {
    let alive = true;
    const taken = connection();
    taken.reserved = true;
    const picker = new StreamPicker(() => [taken], () => alive);
    const controller = new AbortController();
    const aborted = Array.from({ length: 50 }, () => picker.pick({ perStream: 8, signal: controller.signal, timeoutMs: 5000 }));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const other = picker.pick({ perStream: 8, timeoutMs: 5000 });
    controller.abort();
    await expect(Promise.all(aborted)).resolves.toEqual(Array(50).fill(undefined));
    alive = false;
    picker.wake();
    await expect(other).resolves.toBeUndefined();
  });
});
