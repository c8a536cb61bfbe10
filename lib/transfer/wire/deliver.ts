/**
 * HQ → agent: HQ reads its files (inside the vendor's read grants), the agent
 * verifies and writes. A large file goes chunk by chunk over the data
 * connections; each acknowledged chunk enters the ledger, so a later attempt
 * only re-sends what was in flight. Small files travel whole in batch frames.
 */
import type { FileHandle } from 'node:fs/promises';
import { isHandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import type { FileDigest, FilePlan } from '../transport.ts';
import { digestOf } from './digest.ts';
import { ledgerKey } from '../transport.ts';
import { chunkBuffers } from './buffer-pool.ts';
import { hashChunk } from './chunk-hash.ts';
import { Awaiting, BatchError, awaitWithSpares, credit, creditResumed, failure, fileChunkSize, reportBatch } from './context.ts';
import type { SendContext } from './context.ts';
import type { Frame, FrameSocket } from './frames.ts';
import { chunkCount } from './receiver.ts';
import { chunksPerStream } from './streams.ts';
import type { WireFailure } from './receiver.ts';
import { openSource, readChunk, readSmallInto, smallFilesBuffer } from './source.ts';

const MAX_ROUNDS = 3;
const LOST: WireFailure = { code: 'WIRE_DISCONNECTED', message: 'A data connection closed', retryable: true };

/** Delivers one large file; resolves with the digest of the bytes now in place. */
export async function deliverFile(ctx: SendContext, file: FilePlan): Promise<FileDigest> {
  const { session, options } = ctx;
  await ctx.access(ctx.vendor, file.source, 'read');
  const chunkSize = await fileChunkSize(ctx, file);
  const handle = await openSource(await ctx.hq.resolve(file.source, false), file);
  const fid = ctx.session.nextId();
  const acks = new Awaiting<number, WireFailure | undefined>();
  // Set when the agent answers a chunk with the whole file in place (a fresh file needs no `finish`).
  let inPlace = false;
  session.route(`f:${fid}`, (frame: Frame, socket: FrameSocket) => {
    if (frame.head.t !== 'a') return;
    socket.acknowledged();
    if (frame.head.d) inPlace = true;
    acks.resolve(Number(frame.head.i), (frame.head.e as WireFailure | undefined) ?? undefined);
  });
  const stopWatching = session.onClose(() => acks.rejectAll(failure('WIRE_DISCONNECTED', 'The agent disconnected', true)));
  try {
    const key = ledgerKey(file, chunkSize);
    const count = chunkCount(file.size, chunkSize);
    let done = await options.ledger.done(key);
    const resume = done.size > 0;
    // A fresh file's chunks follow its prepare at once (the agent holds any that overtake it), and
    // its mtime goes with the prepare so the last chunk to land puts it in place: two round trips fewer.
    const preparing = session.request<{ fresh: boolean }>('prepare', {
      fid,
      destination: file.destination,
      size: file.size,
      chunkSize,
      resume,
      ...(resume ? {} : { mtimeMs: file.mtimeMs }),
    });
    preparing.catch(() => undefined);
    if (resume && (await preparing).fresh) {
      await options.ledger.clear(key);
      done = new Set();
    }
    const resumedBytes = [...done].reduce((sum, index) => sum + Math.min(chunkSize, file.size - index * chunkSize), 0);
    creditResumed(ctx, file, resumedBytes);
    const hashes = new Array<string>(count);
    const need = [];
    for (let index = 0; index < count; index++) if (!done.has(index)) need.push(index);
    try {
      await sendChunks(ctx, file, fid, handle, chunkSize, need, hashes, acks, key, true);
    } catch (err) {
      await preparing; // a failed prepare is what to report, not its chunks' failures
      throw err;
    }
    await preparing;
    for (const index of done) {
      const body = await readChunk(handle, index, chunkSize, file.size);
      hashes[index] = hashChunk(body);
      chunkBuffers.give(body);
    }
    for (let round = 0; !inPlace; round++) {
      const result = await session.request<{ ok: boolean; bad?: number[] }>('finish', { fid, hashes, mtimeMs: file.mtimeMs });
      if (result.ok) break;
      if (round >= MAX_ROUNDS) throw failure('TRANSFER_VERIFY_FAILED', `${file.destination} failed whole-file verification`, true, { chunks: result.bad });
      ctx.stats.chunksResent += result.bad?.length ?? 0;
      await sendChunks(ctx, file, fid, handle, chunkSize, result.bad ?? [], hashes, acks, key, false);
    }
    await options.ledger.clear(key);
    return digestOf(file.size, file.mtimeMs, chunkSize, hashes);
  } catch (err) {
    if (session.isOpen) await session.request('drop', { fid }).catch(() => undefined);
    throw err;
  } finally {
    stopWatching();
    session.unroute(`f:${fid}`);
    await handle.close();
  }
}

/** Sends chunks through the shared window; each verified ack is marked in the ledger. */
async function sendChunks(
  ctx: SendContext,
  file: FilePlan,
  fid: number,
  handle: FileHandle,
  chunkSize: number,
  indexes: number[],
  hashes: string[],
  acks: Awaiting<number, WireFailure | undefined>,
  key: string,
  report: boolean,
): Promise<void> {
  const { options, stats } = ctx;
  // Once every chunk has left, the file waits on its slowest streams: see `awaitWithSpares`.
  let allSent!: () => void;
  const endgame = new Promise<void>((resolve) => (allSent = resolve));
  /** Reads, hashes and sends chunk `index` on the connection it was given; returns its length. */
  const sendCopy = async (index: number, attempt: number, socket: FrameSocket): Promise<number> => {
    const body = await readChunk(handle, index, chunkSize, file.size);
    try {
      const hash = hashChunk(body);
      hashes[index] = hash;
      const wire = ctx.faults.corruptChunk?.(file, index, attempt) ? flipped(body) : body;
      await socket.send({ t: 'c', f: fid, i: index, h: hash }, wire);
      return body.length;
    } finally {
      chunkBuffers.give(body);
    }
  };
  /** A spare copy of a chunk on another connection; its failure changes nothing (the first copy is still on its way). */
  const spare = async (index: number): Promise<void> => {
    const socket = await ctx.session.pick(chunksPerStream(chunkSize), options.signal).catch(() => undefined);
    if (!socket) return;
    if (!acks.has(index)) return socket.abandon();
    try {
      stats.bytesSent += await sendCopy(index, 0, socket);
      stats.spareChunks++;
    } catch {
      socket.abandon();
    }
  };
  /** Sends one chunk until it is verified, within the window slot its caller holds. */
  const one = async (index: number): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      await options.throttle?.(Math.min(chunkSize, file.size - index * chunkSize), options.signal);
      // Take the connection first, so only chunks that can leave at once are held in memory.
      const socket = await ctx.session.pick(chunksPerStream(chunkSize), options.signal);
      const answer = acks.expect(index);
      let length: number;
      try {
        length = await sendCopy(index, attempt, socket);
      } catch (err) {
        socket.abandon();
        if (await streamLost(err, ctx, attempt)) continue;
        throw err;
      }
      const sentAt = performance.now();
      stats.chunksSent++;
      stats.bytesSent += length;
      // A data connection can drop while the others stay up: its chunks are then sent again elsewhere.
      const stopWatching = socket.whenGone(() => acks.resolve(index, LOST));
      const problem = await awaitWithSpares(ctx, answer, sentAt, endgame, () => spare(index));
      stopWatching();
      if (problem === LOST && attempt < MAX_ROUNDS * 2 && (await ctx.session.stillConnected())) continue;
      if (!problem) {
        ctx.session.chunkAnswered(performance.now() - sentAt);
        ctx.session.moved(length);
        await options.ledger.mark(key, index, hashes[index]!);
        if (report) credit(ctx, file, length);
        return;
      }
      // A full disk at the vendor ended the file there (its partial removed): sending again cannot help.
      if (!problem.retryable || problem.code === 'VENDOR_DISK_FULL' || attempt + 1 >= MAX_ROUNDS) throw failure(problem.code, problem.message, problem.retryable);
      stats.chunksResent++;
    }
  };
  // A chunk starts only once it holds a slot of the shared window, so the tasks alive stay within it.
  const running = new Set<Promise<void>>();
  let failed: { error: unknown } | undefined;
  for (const index of indexes) {
    try {
      await ctx.window.acquire(options.signal);
    } catch (err) {
      failed ??= { error: err };
      break;
    }
    if (failed) {
      ctx.window.release();
      break;
    }
    const task: Promise<void> = one(index)
      .catch((err: unknown) => void (failed ??= { error: err }))
      .finally(() => {
        ctx.window.release();
        running.delete(task);
      });
    running.add(task);
  }
  allSent();
  await Promise.all(running);
  if (failed) throw failed.error;
}

/** Sends whole small files in one batch, on one of the first `streams` data connections. */
export async function deliverSmall(ctx: SendContext, files: FilePlan[], streams: number): Promise<void> {
  const sources: Source[] = [];
  for (const file of files) {
    try {
      const allowed = ctx.access(ctx.vendor, file.source, 'read');
      if (allowed) await allowed;
      const resolved = ctx.hq.resolve(file.source, false);
      sources.push({ file, path: typeof resolved === 'string' ? resolved : await resolved });
    } catch (err) {
      ctx.options.onFileDone(file, { ok: false, error: toTransferError(err, file.source) });
    }
  }
  if (sources.length > 0) await sendBatch(ctx, sources, streams);
}

interface Source {
  file: FilePlan;
  path: string;
}

interface BatchEntry {
  destination: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

/** Reading a batch yields to the event loop this often, so the sockets keep flushing the batches already sent. */
const READ_SLICE_MS = 2;

/**
 * Reads a batch's files back to back into one buffer (one body per frame). On
 * the first read a file that cannot be read fails alone; on a re-read (the
 * batch's connection dropped) any failure fails the batch, to be retried whole.
 */
async function readBatch(ctx: SendContext, sources: Source[], first: boolean): Promise<{ included: Source[]; entries: BatchEntry[]; body: Buffer }> {
  await ctx.reads.acquire(ctx.options.signal);
  const buffer = smallFilesBuffer(sources.map((source) => source.file));
  const included: Source[] = [];
  const entries: BatchEntry[] = [];
  let bytes = 0;
  try {
    let sliceStart = performance.now();
    for (const source of sources) {
      if (performance.now() - sliceStart > READ_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      try {
        const body = readSmallInto(source.path, source.file, buffer, bytes);
        entries.push({ destination: source.file.destination, size: body.length, mtimeMs: source.file.mtimeMs, hash: hashChunk(body) });
        bytes += body.length;
        included.push(source);
      } catch (err) {
        if (!first) throw err;
        ctx.options.onFileDone(source.file, { ok: false, error: toTransferError(err, source.file.source) });
      }
    }
  } catch (err) {
    chunkBuffers.give(buffer);
    throw err;
  } finally {
    ctx.reads.release();
  }
  return { included, entries, body: buffer.subarray(0, bytes) };
}

/** Sends a batch: read only once a connection is free, and released as soon as the kernel has it. */
async function sendBatch(ctx: SendContext, sources: Source[], streams: number): Promise<void> {
  const { session, options } = ctx;
  const id = ctx.session.nextId();
  const answers = new Awaiting<number, (WireFailure | null)[] | undefined>();
  session.route(`b:${id}`, (frame, socket) => {
    if (frame.head.t !== 'ba') return;
    socket.acknowledged();
    answers.resolve(id, frame.head.r as (WireFailure | null)[]);
  });
  const stopWatching = session.onClose(() => answers.rejectAll(failure('WIRE_DISCONNECTED', 'The agent disconnected', true)));
  let included = sources;
  let hashes: string[] = [];
  try {
    const total = sources.reduce((sum, source) => sum + source.file.size, 0);
    await options.throttle?.(total, options.signal);
    let results: (WireFailure | null)[] | undefined;
    for (let attempt = 0; !results; attempt++) {
      const answer = answers.expect(id);
      const socket = await session.pick(chunksPerStream(total), options.signal, streams);
      let length: number;
      try {
        const batch = await readBatch(ctx, included, attempt === 0);
        included = batch.included;
        hashes = batch.entries.map((entry) => entry.hash);
        length = batch.body.length;
        if (included.length === 0) {
          socket.abandon();
          return;
        }
        try {
          await socket.send({ t: 'b', id, files: batch.entries }, batch.body);
        } finally {
          chunkBuffers.give(batch.body);
        }
      } catch (err) {
        socket.abandon();
        if (await streamLost(err, ctx, attempt)) continue;
        throw err;
      }
      ctx.stats.smallBatches++;
      ctx.stats.bytesSent += length;
      // If this data connection drops alone, the whole batch goes again on another one.
      const stopWatching = socket.whenGone(() => answers.resolve(id, undefined));
      const sentAt = performance.now();
      results = await awaitWithSpares(ctx, answer, sentAt, ctx.drained, () => spareBatch(ctx, id, included, answers, streams));
      stopWatching();
      if (results) {
        session.chunkAnswered(performance.now() - sentAt);
        session.moved(length);
      }
      if (!results && (!session.isOpen || attempt >= MAX_ROUNDS)) throw failure('WIRE_DISCONNECTED', 'A data connection closed', true);
    }
    reportBatch(
      ctx,
      included.map((source) => source.file),
      results,
      hashes,
    );
  } catch (err) {
    throw new BatchError(included.map((source) => source.file), err);
  } finally {
    stopWatching();
    session.unroute(`b:${id}`);
  }
}

/**
 * A spare copy of a batch (same id) on a stream with nothing unanswered; the
 * agent writes a batch once and answers every copy. Its failure changes
 * nothing: the first copy is still on its way.
 */
async function spareBatch(ctx: SendContext, id: number, sources: Source[], answers: Awaiting<number, unknown>, streams: number): Promise<void> {
  const socket = await ctx.session.pick(1, ctx.options.signal, streams).catch(() => undefined);
  if (!socket) return;
  if (!answers.has(id)) return socket.abandon();
  try {
    const batch = await readBatch(ctx, sources, false);
    try {
      await socket.send({ t: 'b', id, files: batch.entries }, batch.body);
      ctx.stats.spareBatches++;
      ctx.stats.bytesSent += batch.body.length;
    } finally {
      chunkBuffers.give(batch.body);
    }
  } catch {
    socket.abandon();
  }
}

/** True when a send failed only because its data connection closed while the agent stays connected. */
async function streamLost(err: unknown, ctx: SendContext, attempt: number): Promise<boolean> {
  return isHandoffError(err, 'WIRE_DISCONNECTED') && attempt < MAX_ROUNDS * 2 && (await ctx.session.stillConnected());
}

function flipped(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  if (copy.length > 0) copy[0] = copy[0]! ^ 0xff;
  return copy;
}
