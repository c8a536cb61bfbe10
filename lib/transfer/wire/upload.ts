/**
 * Agent → HQ: HQ checks the vendor's write grant, prepares the partial file on
 * its volume and asks the agent to push the chunks it still needs. Chunks carry
 * only HQ-assigned file ids (never paths), so an agent can write nothing HQ did
 * not ask for. The agent's answer is the manifest HQ verifies the whole file by.
 */
import type { HandoffError } from '../../core/errors.ts';
import type { FilePlan } from '../transport.ts';
import { ledgerKey } from '../transport.ts';
import { Awaiting, BatchError, awaitWithSpares, credit, creditResumed, failure, fileChunkSize, reportBatch, within } from './context.ts';
import type { SendContext } from './context.ts';
import type { Frame, FrameSocket } from './frames.ts';
import { chunkCount } from './receiver.ts';
import type { SmallFile } from './landing.ts';
import type { WireFailure } from './receiver.ts';

const MAX_ROUNDS = 3;
const LOST: WireFailure = { code: 'WIRE_DISCONNECTED', message: 'A data connection closed', retryable: true };
const LOST_ERROR = (): Error => failure(LOST.code, LOST.message, true);

export async function uploadFile(ctx: SendContext, file: FilePlan): Promise<void> {
  const { session, options, receiver } = ctx;
  await ctx.access(ctx.vendor, file.destination, 'write');
  const chunkSize = await fileChunkSize(ctx, file);
  const key = ledgerKey(file, chunkSize);
  const count = chunkCount(file.size, chunkSize);
  const fid = ctx.session.nextId();
  let done = await options.ledger.done(key);
  const prepared = await receiver.prepare({ fid, destination: file.destination, size: file.size, chunkSize, resume: done.size > 0 });
  if (prepared.fresh && done.size > 0) {
    await options.ledger.clear(key);
    done = new Set();
  }
  const resumedBytes = [...done].reduce((sum, index) => sum + Math.min(chunkSize, file.size - index * chunkSize), 0);
  creditResumed(ctx, file, resumedBytes);

  const arrivals = new Awaiting<number, WireFailure | undefined>();
  const requested = new Set<number>();
  const landing = new Set<number>();
  let report = true;
  session.route(`f:${fid}`, async (frame: Frame, socket: FrameSocket) => {
    const index = Number(frame.head.i);
    if (frame.head.t !== 'c' || !frame.body || !requested.has(index)) {
      socket.destroy(new Error(`unexpected chunk ${index} of file ${fid}`));
      return;
    }
    if (!arrivals.has(index) || landing.has(index)) {
      // A late copy of a chunk already handled or being written (pushed again after a connection dropped, or a spare).
      void socket.send({ t: 'k' }).catch(() => undefined);
      return;
    }
    landing.add(index);
    try {
      const problem = (await receiver.chunk(fid, index, String(frame.head.h), frame.body)).failure;
      void socket.send({ t: 'k' }).catch(() => undefined);
      if (!problem) {
        session.moved(frame.body.length);
        await options.ledger.mark(key, index, String(frame.head.h));
        if (report) credit(ctx, file, frame.body.length);
        ctx.stats.chunksSent++;
        ctx.stats.bytesSent += frame.body.length;
      }
      arrivals.resolve(index, problem);
    } finally {
      landing.delete(index);
    }
  });
  const stopWatching = session.onClose(() => arrivals.rejectAll(failure('WIRE_DISCONNECTED', 'The agent disconnected', true)));
  // Chunks on a data connection that drops while the agent stays are pushed again.
  const stopLost = session.onDataClosed(() => arrivals.resolveAll(LOST));
  try {
    let need: number[] = [];
    for (let index = 0; index < count; index++) if (!done.has(index)) need.push(index);
    let hashes: string[] = [];
    for (let round = 0; ; round++) {
      for (const index of need) requested.add(index);
      const results = need.map((index) => arrivals.expect(index));
      const pushed = await session.request<{ hashes: string[] }>('push', {
        fid,
        source: file.source,
        size: file.size,
        mtimeMs: file.mtimeMs,
        chunkSize,
        chunks: need,
      });
      if (!Array.isArray(pushed.hashes) || pushed.hashes.length !== count || !pushed.hashes.every((hash) => typeof hash === 'string')) {
        throw failure('WIRE_PROTOCOL', 'The agent sent an invalid manifest', false);
      }
      hashes = pushed.hashes;
      const arrived = Promise.all(results);
      void askForSpares(ctx, file, fid, chunkSize, need, arrivals, arrived);
      const problems = await arrived;
      const corrupt = need.filter((_, at) => problems[at]);
      const fatal = problems.find((problem) => problem && !problem.retryable);
      if (fatal) throw failure(fatal.code, fatal.message, false);
      need = corrupt;
      if (need.length === 0) {
        const finished = await receiver.finish({ fid, hashes, mtimeMs: file.mtimeMs });
        if (finished.ok) break;
        need = finished.bad;
      }
      report = false;
      ctx.stats.chunksResent += need.length;
      if (round >= MAX_ROUNDS) throw failure('TRANSFER_VERIFY_FAILED', `${file.destination} failed verification`, true, { chunks: need });
    }
    await options.ledger.clear(key);
  } finally {
    stopWatching();
    stopLost();
    session.retire(`f:${fid}`);
    await receiver.drop(fid);
  }
}

const MAX_SPARES = 2;

/**
 * Once the agent has sent every chunk asked for, the file waits only on its
 * slowest streams: chunks still missing after the usual answer time are asked
 * for again, and the agent sends them on streams with nothing unanswered. The first copy to
 * land counts; a later one is answered and dropped (`Session.retire`).
 */
async function askForSpares(
  ctx: SendContext,
  file: FilePlan,
  fid: number,
  chunkSize: number,
  asked: number[],
  arrivals: Awaiting<number, WireFailure | undefined>,
  arrived: Promise<unknown>,
): Promise<void> {
  const done = arrived.then(
    () => undefined,
    () => undefined,
  );
  for (let spares = 0; spares < MAX_SPARES; spares++) {
    if (!(await within(done, ctx.session.spareAfterMs * (spares + 1))) || ctx.options.signal.aborted) return;
    const missing = asked.filter((index) => arrivals.has(index));
    if (missing.length === 0) return;
    ctx.stats.spareChunks += missing.length;
    const request = { fid, source: file.source, size: file.size, mtimeMs: file.mtimeMs, chunkSize, chunks: missing, spare: true };
    await ctx.session.request('push', request).catch(() => undefined);
  }
}

/** Asks the agent for a batch of whole small files, sent on one of its first `streams` data connections. */
export async function uploadSmall(ctx: SendContext, files: FilePlan[], streams: number): Promise<void> {
  const { session, options, receiver } = ctx;
  const included: FilePlan[] = [];
  for (const file of files) {
    try {
      const allowed = ctx.access(ctx.vendor, file.destination, 'write');
      if (allowed) await allowed;
      included.push(file);
    } catch (err) {
      options.onFileDone(file, { ok: false, error: err as HandoffError });
    }
  }
  if (included.length === 0) return;
  const id = ctx.session.nextId();
  const batches = new Awaiting<number, (WireFailure | null)[] | undefined>();
  let landed: (WireFailure | null)[] | undefined;
  session.route(`b:${id}`, async (frame: Frame, socket: FrameSocket) => {
    const entries = frame.head.files as ({ s: number; m: number; h: string } | { e: WireFailure })[];
    if (frame.head.t !== 'b' || !Array.isArray(entries) || entries.length !== included.length) {
      socket.destroy(new Error(`unexpected batch ${id}`));
      return;
    }
    if (!batches.has(id)) {
      // A late copy of a batch already handled (asked again after a connection dropped).
      void socket.send({ t: 'k' }).catch(() => undefined);
      return;
    }
    const written: SmallFile[] = [];
    const positions: number[] = [];
    entries.forEach((entry, at) => {
      if ('e' in entry) return;
      written.push({ destination: included[at]!.destination, size: entry.s, mtimeMs: included[at]!.mtimeMs, hash: entry.h });
      positions.push(at);
    });
    // Written once whatever the copies: a spare, or the batch asked again after its connection dropped.
    const { results, copy } = await receiver.batch(id, written, frame.body ?? Buffer.alloc(0));
    void socket.send({ t: 'k' }).catch(() => undefined);
    if (!copy) {
      landed = entries.map((entry) => ('e' in entry ? entry.e : null));
      positions.forEach((at, k) => (landed![at] = results[k] ?? null));
      ctx.stats.smallBatches++;
      ctx.stats.bytesSent += frame.body?.length ?? 0;
      session.moved(frame.body?.length ?? 0);
    }
    if (landed) batches.resolve(id, landed);
  });
  const stopWatching = session.onClose(() => batches.rejectAll(failure('WIRE_DISCONNECTED', 'The agent disconnected', true)));
  // A batch on a data connection that drops while the agent stays is asked for again.
  const stopLost = session.onDataClosed(() => batches.resolveAll(undefined));
  try {
    let results: (WireFailure | null)[] | undefined;
    for (let attempt = 0; !results; attempt++) {
      if (attempt > MAX_ROUNDS) throw LOST_ERROR();
      const answer = batches.expect(id);
      const wanted = included.map((file) => ({ source: file.source, size: file.size, mtimeMs: file.mtimeMs }));
      await session.request('pushSmall', { id, files: wanted, streams });
      // The batch has left the agent. Stuck on a slow stream, it is asked for again (a spare, on a stream with nothing unanswered).
      const sentAt = performance.now();
      const spare = (): Promise<void> =>
        session.request('pushSmall', { id, files: wanted, streams, spare: true }).then(
          () => void ctx.stats.spareBatches++,
          () => undefined,
        );
      results = await awaitWithSpares(ctx, answer, sentAt, ctx.drained, spare);
      if (results) session.chunkAnswered(performance.now() - sentAt);
    }
    reportBatch(ctx, included, results);
  } catch (err) {
    throw new BatchError(included, err);
  } finally {
    stopWatching();
    stopLost();
    // A copy still on its way (a spare, or one asked for again) is answered and dropped when it lands.
    session.retire(`b:${id}`);
  }
}
