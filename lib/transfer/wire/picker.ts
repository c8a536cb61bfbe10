/**
 * Chooses the data connection for the next chunk: the open one with the fewest
 * unacknowledged chunks, at most PER_STREAM each. Counting acknowledgements (not
 * bytes handed to the kernel) keeps every stream busy on a lossy link instead
 * of piling chunks into the send buffer of the first one.
 */
import type { FrameSocket } from './frames.ts';

export const PER_STREAM = 2;

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
  async pick(signal: AbortSignal | undefined, timeoutMs: number): Promise<FrameSocket | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = this.sockets().filter((socket) => socket.isOpen);
      let best: FrameSocket | undefined;
      this.rotation = (this.rotation + 1) % Math.max(1, open.length);
      for (let i = 0; i < open.length; i++) {
        const socket = open[(i + this.rotation) % open.length]!;
        if (socket.unacked < PER_STREAM && (!best || socket.unacked < best.unacked)) best = socket;
      }
      if (best) {
        best.unacked++;
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
