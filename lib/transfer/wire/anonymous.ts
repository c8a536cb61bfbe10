/**
 * Connections that have not yet proved who is calling (an HTTP request with a
 * valid token or signature, an agent certificate HQ pinned) are few and
 * short-lived, so anonymous peers cannot hold HQ's sockets or memory. When the
 * limit is reached the oldest anonymous connection makes room: a flood of idle
 * connections cannot lock out a caller that proves itself promptly.
 */
import type { Server, Socket } from 'node:net';

export interface ConnectionGuard {
  /** The connection carried proof of its caller: it is no longer limited. */
  authenticated(socket: Socket): void;
  /** Anonymous connections open now. */
  readonly open: number;
  /** Anonymous connections closed to make room for newer ones. */
  readonly evicted: number;
}

/**
 * At most `max` anonymous connections at once, each closed after `timeoutMs`
 * unless it authenticates. Keyed by the peer's address and port, which a TLS
 * connection shares with the TCP one under it.
 */
export function guardConnections(server: Server, limits: { max: number; timeoutMs: number } = { max: 64, timeoutMs: 15_000 }): ConnectionGuard {
  const anonymous = new Map<string, { socket: Socket; timer: NodeJS.Timeout }>();
  const idOf = (socket: Socket): string => `${socket.remoteAddress}|${socket.remotePort}`;
  let evicted = 0;
  const forget = (id: string): void => {
    const entry = anonymous.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    anonymous.delete(id);
  };
  server.on('connection', (socket: Socket) => {
    while (anonymous.size >= limits.max) {
      const [oldest, entry] = anonymous.entries().next().value as [string, { socket: Socket }];
      forget(oldest);
      evicted++;
      entry.socket.destroy();
    }
    const id = idOf(socket);
    const timer = setTimeout(() => socket.destroy(), limits.timeoutMs);
    timer.unref();
    anonymous.set(id, { socket, timer });
    socket.once('close', () => {
      if (anonymous.get(id)?.socket === socket) forget(id);
    });
  });
  return {
    authenticated: (socket) => forget(idOf(socket)),
    get open() {
      return anonymous.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
