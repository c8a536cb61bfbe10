/**
 * What one `send` call shares between its files: the agent session, the caller's
 * options, the HQ side's confined volume, the chunk window and the counters.
 */
import { HandoffError } from '../../core/errors.ts';
import type { AccessCheck, FilePlan, SendOptions } from '../transport.ts';
import type { Confiner } from './confine.ts';
import type { FileReceiver } from './receiver.ts';
import type { AgentSession } from './session.ts';
import type { WireTuning } from './tuning.ts';

export interface WireStats {
  /** Chunk frames sent or pushed (re-sends included). */
  chunksSent: number;
  /** Chunks sent again after a verification failure. */
  chunksResent: number;
  /** Bytes of file data that crossed the wire. */
  bytesSent: number;
  smallBatches: number;
  smallFiles: number;
}

export interface WireFaults {
  /** Corrupts a chunk after hashing it, before it leaves HQ (tests the receiver's verification). */
  corruptChunk?: ((file: FilePlan, index: number, attempt: number) => boolean) | undefined;
}

export interface SendContext {
  session: AgentSession;
  vendor: string;
  options: SendOptions;
  tuning: WireTuning;
  access: AccessCheck;
  hq: Confiner;
  receiver: FileReceiver;
  window: Semaphore;
  stats: WireStats;
  faults: WireFaults;
  nextId(): number;
}

/** Counts free slots; `acquire` waits for one (or the abort signal). */
export class Semaphore {
  private free: number;
  private readonly queue: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw aborted();
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        reject(aborted());
      };
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.queue.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Promises keyed by chunk or batch that settle when the agent answers, and all
 * reject when the session ends or the send is aborted.
 */
export class Awaiting<K, V> {
  private readonly entries = new Map<K, { resolve(value: V): void; reject(error: Error): void }>();
  private failure: Error | undefined;

  expect(key: K): Promise<V> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<V>((resolve, reject) => this.entries.set(key, { resolve, reject }));
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  resolve(key: K, value: V): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    entry?.resolve(value);
  }

  reject(key: K, error: Error): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    entry?.reject(error);
  }

  rejectAll(error: Error): void {
    this.failure = error;
    for (const entry of this.entries.values()) entry.reject(error);
    this.entries.clear();
  }
}

export function aborted(): HandoffError {
  return new HandoffError('TRANSFER_ABORTED', 'The transfer was stopped', {
    retryable: true,
    hint: 'It resumes from the verified chunks when the job runs again.',
  });
}

export function failure(code: string, message: string, retryable: boolean, details: Record<string, unknown> = {}): HandoffError {
  return new HandoffError(code, message, { retryable, details });
}
