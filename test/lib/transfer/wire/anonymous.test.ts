/** The bound on anonymous connections, over real sockets: the oldest makes room, idle ones time out, proven ones stay. */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardConnections, type ConnectionGuard } from '../../../../lib/transfer/wire/anonymous.ts';

const opened: net.Socket[] = [];
let server: net.Server | undefined;
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(limits: { max: number; timeoutMs: number }): Promise<{ guard: ConnectionGuard; accepted: net.Socket[]; port: number }> {
  const accepted: net.Socket[] = [];
  server = net.createServer((socket) => accepted.push(socket));
  const guard = guardConnections(server, limits);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { guard, accepted, port: (server.address() as AddressInfo).port };
}

async function dial(port: number): Promise<{ socket: net.Socket; closed: Promise<number> }> {
  const socket = net.connect(port, '127.0.0.1');
  opened.push(socket);
  socket.on('error', () => undefined);
  const started = performance.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, closed };
}

const within = <T>(ms: number, promise: Promise<T>): Promise<T | 'still open'> =>
  Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms).unref())]);

describe('anonymous connection guard', () => {
  it('closes the oldest anonymous connection to make room, and idle ones after the timeout, but not proven ones', async () => {
    const { guard, accepted, port } = await listen({ max: 2, timeoutMs: 300 });
    const first = await dial(port);
    const second = await dial(port);
    await expect.poll(() => accepted.length).toBe(2);
    guard.authenticated(accepted[1]!);
    const third = await dial(port);
    const fourth = await dial(port);
    // `second` is proven: the two anonymous slots hold first and third, and fourth takes the oldest of them.
    expect(await within(2_000, first.closed)).toEqual(expect.any(Number));
    expect(guard.evicted).toBe(1);
    expect(await within(2_000, third.closed)).toBeGreaterThanOrEqual(250);
    expect(await within(2_000, fourth.closed)).toBeGreaterThanOrEqual(250);
    expect(await within(500, second.closed)).toBe('still open');
    expect(guard.open).toBe(0);
  });
});
