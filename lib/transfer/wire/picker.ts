/**
 * Chooses the data connection for the next chunk: among the open ones whose
 * last frame the kernel has taken, the one with the fewest unacknowledged
 * chunks (below a per-stream cap), from the first `among` open connections
 * only when the caller says so (large files keep to the streams the link is
 * governed at, a short burst of small files spreads over every connection). A stream under loss drains slowly: waiting
 * for its kernel buffer keeps at most one chunk per stream in memory, and
 * counting acknowledgements spreads chunks over every stream instead of piling
 * them into the first.
 *
 * Callers that find no room wait in line; a freed connection goes to the first
 * of them, so a long link with hundreds of streams and chunks does not wake
 * every waiter to rescan every connection on each acknowledgement.
 */
import type { FrameSocket } from './frames.ts';

export interface PickRequest {
  /** Unacknowledged chunks a connection may already carry. */
  perStream: number;
  /** Only the first this many open connections qualify (all by default). */
  among?: number | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}

interface Waiter {
  perStream: number;
  among: number;
  signal: AbortSignal | undefined;
  grant(socket: FrameSocket | undefined): void;
}

export class StreamPicker {
  private readonly sockets: () => Iterable<FrameSocket>;
  private readonly alive: () => boolean;
  private readonly waiters: Waiter[] = [];
  private scheduled = false;
  private readonly watched = new WeakSet<AbortSignal>();

  /** `alive` false means no connection will come any more (the session ended). */
  constructor(sockets: () => Iterable<FrameSocket>, alive: () => boolean) {
    this.sockets = sockets;
    this.alive = alive;
  }

  /** Re-checks waiting callers (a chunk was acknowledged, a connection came or went); batched per tick. */
  wake(): void {
    if (this.scheduled || this.waiters.length === 0) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.serve();
    });
  }

  /**
   * A connection with room for a chunk, counted as carrying it; undefined when
   * none is open, the signal aborts or `timeoutMs` passes.
   */
  pick({ perStream, among = Infinity, signal, timeoutMs }: PickRequest): Promise<FrameSocket | undefined> {
    if (this.waiters.length === 0) {
      const socket = this.best(this.free(), perStream, among);
      if (socket) return Promise.resolve(this.take(socket));
    }
    if (signal?.aborted || !this.alive()) return Promise.resolve(undefined);
    if (signal && !this.watched.has(signal)) {
      // One listener per signal, not per waiter: a send has hundreds of chunks waiting at once.
      this.watched.add(signal);
      signal.addEventListener('abort', () => this.leave((waiter) => waiter.signal === signal), { once: true });
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        perStream,
        among,
        signal,
        grant: (socket) => {
          clearTimeout(timer);
          resolve(socket);
        },
      };
      const timer = setTimeout(() => this.leave((other) => other === waiter), timeoutMs);
      this.waiters.push(waiter);
      this.wake();
    });
  }

  /** Sends the matching waiters away empty-handed. */
  private leave(matches: (waiter: Waiter) => boolean): void {
    const leaving = this.waiters.filter(matches);
    if (leaving.length === 0) return;
    this.waiters.splice(0, this.waiters.length, ...this.waiters.filter((waiter) => !matches(waiter)));
    for (const waiter of leaving) waiter.grant(undefined);
  }

  /** Hands free connections to waiters in order; when the session is gone, tells them all. */
  private serve(): void {
    if (!this.alive()) {
      for (const waiter of this.waiters.splice(0)) waiter.grant(undefined);
      return;
    }
    let free = this.free();
    for (let at = 0; at < this.waiters.length && free.length > 0; ) {
      const waiter = this.waiters[at]!;
      const socket = this.best(free, waiter.perStream, waiter.among);
      if (!socket) {
        at++;
        continue;
      }
      this.waiters.splice(at, 1);
      free = free.filter((other) => other.socket !== socket);
      waiter.grant(this.take(socket));
    }
  }

  /** Open connections whose kernel buffer has taken their last frame, with their place among the open ones. */
  private free(): { socket: FrameSocket; place: number }[] {
    const free: { socket: FrameSocket; place: number }[] = [];
    let place = 0;
    for (const socket of this.sockets()) {
      if (!socket.isOpen) continue;
      if (!socket.reserved && socket.writing === 0) free.push({ socket, place });
      place++;
    }
    return free;
  }

  private best(free: { socket: FrameSocket; place: number }[], perStream: number, among: number): FrameSocket | undefined {
    let best: FrameSocket | undefined;
    for (const { socket, place } of free) {
      if (place < among && socket.unacked < perStream && (!best || socket.unacked < best.unacked)) best = socket;
    }
    return best;
  }

  private take(socket: FrameSocket): FrameSocket {
    socket.unacked++;
    socket.reserved = true;
    return socket;
  }
}
