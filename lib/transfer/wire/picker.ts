/**
 * Chooses the data connection for the next chunk: among the open ones whose
 * last frame the kernel has taken, the one with the fewest unacknowledged
 * chunks (below a per-stream cap). A stream under loss drains slowly: waiting
 * for its kernel buffer keeps at most one chunk per stream in memory, and
 * counting acknowledgements spreads chunks over every stream instead of piling
 * them into the first.
 */
import type { FrameSocket } from './frames.ts';

export class StreamPicker {
  private readonly sockets: () => FrameSocket[];
  private readonly alive: () => boolean;
  private readonly waiters = new Set<() => void>();
  private readonly watched = new WeakSet<AbortSignal>();
  private rotation = 0;

  /** `alive` false means no connection will come any more (the session ended). */
  constructor(sockets: () => FrameSocket[], alive: () => boolean) {
    this.sockets = sockets;
    this.alive = alive;
  }

  /** Re-checks waiting callers (a chunk was acknowledged, a connection came or went). */
  wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * A connection with room for a chunk, counted as carrying it; undefined when
   * none is open, the signal aborts or `timeoutMs` passes.
   */
  async pick(signal: AbortSignal | undefined, timeoutMs: number, perStream: number): Promise<FrameSocket | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = this.sockets().filter((socket) => socket.isOpen);
      let best: FrameSocket | undefined;
      this.rotation = (this.rotation + 1) % Math.max(1, open.length);
      for (let i = 0; i < open.length; i++) {
        const socket = open[(i + this.rotation) % open.length]!;
        if (!socket.reserved && socket.writing === 0 && socket.unacked < perStream && (!best || socket.unacked < best.unacked)) best = socket;
      }
      if (best) {
        best.unacked++;
        best.reserved = true;
        return best;
      }
      if (signal?.aborted || !this.alive() || Date.now() >= deadline) return undefined;
      await this.wait(signal, deadline - Date.now());
    }
  }

  private wait(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    if (signal && !this.watched.has(signal)) {
      this.watched.add(signal);
      signal.addEventListener('abort', () => this.wake(), { once: true });
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }
}
