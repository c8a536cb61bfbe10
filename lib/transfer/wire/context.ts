/**
 * What one `send` call shares between its files: the agent session, the caller's
 * options, the HQ side's confined volume, the chunk window and the counters.
 */
import { HandoffError } from '../../core/errors.ts';
import type { AccessCheck, FilePlan, SendOptions } from '../transport.ts';
import { ledgerKey } from '../transport.ts';
import type { Confiner } from './confine.ts';
import type { FileReceiver, WireFailure } from './receiver.ts';
import type { AgentSession } from './session.ts';
import { chunkSizeCandidates, chunkSizeForFile } from './streams.ts';
import type { WireTuning } from './tuning.ts';

export interface WireStats {
  /** Chunk frames sent or pushed (re-sends included, spare copies not). */
  chunksSent: number;
  /** Chunks sent again after a verification failure. */
  chunksResent: number;
  /** Spare copies of chunks that were slow to be answered once nothing else was left to send. */
  spareChunks: number;
  /** Spare copies of small-file batches, likewise. */
  spareBatches: number;
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
  /** Chunks in flight across the send's files (resized as the agent's stream count changes). */
  window: Semaphore;
  /** One small-file batch read at a time: the first batch leaves as soon as it is read, not after all the first ones. */
  reads: Semaphore;
  /** Chunk size for files started in this send (by the link's round trip). */
  chunkSize: number;
  /** Settles once the send has started its last file or batch: all that is left is in flight. */
  drained: Promise<void>;
  stats: WireStats;
  faults: WireFaults;
  /** Bytes of each file reported to `onProgress` in this send (across reconnects), so none counts twice. */
  credited: Map<FilePlan, number>;
}

/** Reports a file's bytes already in place when it starts: only what was not reported earlier in this send. */
export function creditResumed(ctx: SendContext, file: FilePlan, bytes: number): void {
  const before = ctx.credited.get(file) ?? 0;
  ctx.credited.set(file, bytes);
  if (bytes !== before) ctx.options.onProgress(file.taskId, bytes - before);
}

/** Reports newly verified bytes of a file. */
export function credit(ctx: SendContext, file: FilePlan, bytes: number): void {
  ctx.credited.set(file, (ctx.credited.get(file) ?? 0) + bytes);
  ctx.options.onProgress(file.taskId, bytes);
}

/** Counts free slots; `acquire` waits for one, or fails once the signal aborts. */
export class Semaphore {
  private free: number;
  private size: number;
  private readonly queue: { grant(): void; fail(error: Error): void }[] = [];
  private watched: AbortSignal | undefined;

  constructor(size: number) {
    this.free = size;
    this.size = size;
  }

  /** Changes the number of slots; a shrink takes effect as holders release. */
  resize(size: number): void {
    this.free += size - this.size;
    this.size = size;
    while (this.free > 0 && this.queue.length > 0) {
      this.free--;
      this.queue.shift()!.grant();
    }
  }

  async acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw aborted();
    if (this.free > 0) {
      this.free--;
      return;
    }
    if (this.watched !== signal) {
      this.watched = signal;
      signal.addEventListener('abort', () => this.queue.splice(0).forEach((waiter) => waiter.fail(aborted())), { once: true });
    }
    await new Promise<void>((grant, fail) => this.queue.push({ grant, fail }));
  }

  release(): void {
    const next = this.free >= 0 ? this.queue.shift() : undefined;
    if (next) next.grant();
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
    const promise = this.failure
      ? Promise.reject(this.failure)
      : new Promise<V>((resolve, reject) => this.entries.set(key, { resolve, reject }));
    // Whoever gives up on a key (its send failed) must not leave an unhandled rejection behind.
    promise.catch(() => undefined);
    return promise;
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

  /** Settles every pending key with `value` (without closing the set). */
  resolveAll(value: V): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) entry.resolve(value);
  }

  rejectAll(error: Error): void {
    this.failure = error;
    for (const entry of this.entries.values()) entry.reject(error);
    this.entries.clear();
  }
}

/**
 * The chunk size a file travels in: the send's, unless the ledger holds chunks
 * of an earlier attempt in another size (the link changed): those are kept.
 */
export async function fileChunkSize(ctx: SendContext, file: FilePlan): Promise<number> {
  const wanted = chunkSizeForFile(ctx.chunkSize, file.size, ctx.tuning.chunkSize);
  for (const size of chunkSizeCandidates(ctx.tuning.chunkSize)) {
    if (size !== wanted && (await ctx.options.ledger.done(ledgerKey(file, size))).size > 0) return size;
  }
  return wanted;
}

/** A small-file batch failed: `files` are the ones not yet reported (the others were, one by one). */
export class BatchError extends Error {
  readonly files: FilePlan[];
  override readonly cause: unknown;

  constructor(files: FilePlan[], cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.files = files;
    this.cause = cause;
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

/** Reports each file of an answered small-file batch: its failure, or its bytes and success. */
export function reportBatch(ctx: SendContext, included: FilePlan[], results: readonly (WireFailure | null)[], hashes?: readonly string[]): void {
  included.forEach((file, at) => {
    const problem = results[at];
    if (problem) {
      ctx.options.onFileDone(file, { ok: false, error: new HandoffError(problem.code, problem.message, { retryable: problem.retryable }) });
      return;
    }
    ctx.stats.smallFiles++;
    credit(ctx, file, file.size);
    const hash = hashes?.[at];
    ctx.options.onFileDone(file, { ok: true, digest: hash === undefined ? undefined : { size: file.size, mtimeMs: Math.trunc(file.mtimeMs), hash, chunk: 0 } });
  });
}

/** Waits for `event` at most `ms`; true when the time ran out first. */
export async function within(event: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([event.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), true)))]);
  clearTimeout(timer);
  return late;
}

/** Spare copies of one chunk at most. */
const MAX_SPARES = 2;
/** While the file still has chunks to send, a chunk gets a spare only when this many times later than usual (a stream that stopped moving). */
const STUCK_FACTOR = 4;

/**
 * Waits for a chunk's (or a batch's) answer. Once the file's last chunk has
 * left (the send's last batch), it is only waiting on its slowest streams: a chunk stuck behind a lost packet on a
 * lossy stream can hold the whole file for seconds while every other stream
 * idles, so a chunk unanswered well past the usual time gets a spare copy on
 * another stream, and the first copy to land counts (the receiver writes
 * identical bytes either way). Before that, only a chunk on a stream that
 * stopped moving altogether gets one, so a dead connection the kernel has not
 * noticed yet cannot hold the window.
 */
export async function awaitWithSpares<T>(ctx: SendContext, answer: Promise<T>, sentAt: number, endgame: Promise<void>, spare: () => Promise<void>): Promise<T> {
  let answered = false;
  let ending = false;
  const settled = answer.then(
    () => void (answered = true),
    () => void (answered = true),
  );
  const ended = endgame.then(() => void (ending = true));
  for (let spares = 0; spares < MAX_SPARES; ) {
    const patience = ctx.session.spareAfterMs * (spares + 1) * (ending ? 1 : STUCK_FACTOR);
    const late = await within(ending ? settled : Promise.race([settled, ended]), sentAt + patience - performance.now());
    if (answered || ctx.options.signal.aborted) break;
    if (!late) continue; // the file's last chunk just left: wait again with endgame patience
    void spare();
    spares++;
  }
  return answer;
}
