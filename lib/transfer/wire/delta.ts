/**
 * Delta delivery: before sending, HQ asks the agent what it holds at the
 * delivery's destinations (`held`, one round trip per few thousand files) and
 * sends only what is missing or different. A file already there (same digest as
 * HQ's source) is reported present and not sent. A different file that is what
 * HQ last sent there was changed at HQ and is sent again; any other difference
 * is the vendor's own change, handled by the `vendorChanged` policy: overwrite
 * it, keep it (HQ's version is not sent), or set it aside under a dated name
 * and deliver HQ's.
 */
import type { FileDigest, FilePlan, VendorChangedAction } from '../transport.ts';
import type { HeldAnswer, HeldQuestion } from './agent-held.ts';
import type { SendContext } from './context.ts';
import { digestChunk, digestFile } from './digest.ts';
import { packJson, unpackJson } from './plans.ts';
import { chunkSizeForFile } from './streams.ts';
import { ledgerKey } from '../transport.ts';
import { chunkBuffers } from './buffer-pool.ts';
import { hashChunk } from './chunk-hash.ts';
import { fileChunkSize } from './context.ts';
import { chunkCount } from './receiver.ts';
import { openSource, readChunk } from './source.ts';

/** Files per `held` round trip. */
const PER_QUESTION = 4000;

export type VendorNote = { action: VendorChangedAction; asideAs?: string | undefined };

/**
 * Sorts a delivery's files: reports those already in place (and, under `keep`,
 * those the vendor changed), sets vendor versions aside under `rename`, and
 * returns the files to send. `notes` gets each sent file that replaces a
 * vendor's change.
 */
export async function sortOut(ctx: SendContext, files: FilePlan[], policy: VendorChangedAction, notes: Map<FilePlan, VendorNote>): Promise<FilePlan[]> {
  const send: FilePlan[] = [];
  for (let at = 0; at < files.length; at += PER_QUESTION) {
    if (ctx.options.signal.aborted) return files.slice(at).concat(send);
    const slice = files.slice(at, at + PER_QUESTION);
    const records = ctx.options.delivered?.get(slice.map((file) => file.destination)) ?? new Map<string, FileDigest>();
    const questions = slice.map((file): HeldQuestion => [file.destination, file.size, questionChunk(ctx, file, records.get(file.destination))]);
    const answers = unpackJson(await ctx.session.request('held', packJson(questions))) as HeldAnswer[];
    if (!Array.isArray(answers) || answers.length !== slice.length) throw new Error('the agent answered a held question with the wrong number of files');
    const aside: FilePlan[] = [];
    for (let index = 0; index < slice.length; index++) {
      const file = slice[index]!;
      const answer = answers[index] ?? null;
      if (answer?.[0] === 'partial') {
        await adoptPartial(ctx, file, answer[1], answer[2]);
        send.push(file);
        continue;
      }
      const verdict = await judge(ctx, file, answer, records.get(file.destination));
      if (verdict === 'send') send.push(file);
      else if (verdict !== 'vendor') ctx.options.onFileDone(file, { ok: true, present: true, digest: verdict });
      else if (policy === 'overwrite') {
        notes.set(file, { action: 'overwrite' });
        send.push(file);
      } else if (policy === 'keep') ctx.options.onFileDone(file, { ok: true, vendorChanged: { action: 'keep' } });
      else aside.push(file);
    }
    if (aside.length > 0) {
      const { moved } = await ctx.session.request<{ moved: (string | null)[] }>('setAside', { paths: aside.map((file) => file.destination) });
      aside.forEach((file, index) => {
        const asideAs = moved[index];
        if (asideAs) notes.set(file, { action: 'rename', asideAs });
        send.push(file);
      });
    }
  }
  return send;
}

/** The chunk size the agent should hash an unrecorded file at: the one HQ can compare without reading. */
function questionChunk(ctx: SendContext, file: FilePlan, record: FileDigest | undefined): number {
  if (record && record.size === file.size && record.mtimeMs === Math.trunc(file.mtimeMs)) return record.chunk;
  if (file.size <= ctx.tuning.smallFileMax) return 0;
  return digestChunk(file.size, chunkSizeForFile(ctx.chunkSize, file.size, ctx.tuning.chunkSize));
}

/**
 * Only a partial file is at the vendor, with chunks it verified (HQ was killed before
 * it heard of them): those that match HQ's source, read here, enter the ledger, so
 * the send resumes the partial instead of sending them again.
 */
async function adoptPartial(ctx: SendContext, file: FilePlan, chunkSize: number, chunks: [number, string][]): Promise<void> {
  if (chunks.length === 0 || chunkSize !== (await fileChunkSize(ctx, file))) return;
  const key = ledgerKey(file, chunkSize);
  const done = await ctx.options.ledger.done(key);
  const count = chunkCount(file.size, chunkSize);
  await ctx.access(ctx.vendor, file.source, 'read');
  const handle = await openSource(await ctx.hq.resolve(file.source, false), file).catch(() => undefined);
  if (!handle) return;
  try {
    for (const [index, hash] of chunks) {
      if (!Number.isInteger(index) || index < 0 || index >= count || done.has(index)) continue;
      const body = await readChunk(handle, index, chunkSize, file.size);
      const same = hashChunk(body) === hash;
      chunkBuffers.give(body);
      if (same) await ctx.options.ledger.mark(key, index, hash);
    }
  } finally {
    await handle.close();
  }
}

/** `send`, `vendor` (the vendor's own change), or the digest of a file already in place. */
async function judge(ctx: SendContext, file: FilePlan, answer: Exclude<HeldAnswer, ['partial', number, [number, string][]]>, record: FileDigest | undefined): Promise<'send' | 'vendor' | FileDigest> {
  if (!answer) return 'send';
  const [size, mtimeMs, hash, chunk] = answer;
  if (hash !== null && size === file.size) {
    const source = await sourceDigest(ctx, file, chunk, record);
    if (source && source.hash === hash) return source;
  }
  // Not HQ's current version. Is it what HQ sent last (then HQ changed it), or the vendor's own?
  const lastSent = record !== undefined && ((hash !== null && record.chunk === chunk && record.hash === hash) || (record.size === size && record.mtimeMs === mtimeMs));
  return lastSent ? 'send' : 'vendor';
}

/** HQ's digest of its source at `chunk`: from what it recorded when it last sent it, or read here. */
async function sourceDigest(ctx: SendContext, file: FilePlan, chunk: number, record: FileDigest | undefined): Promise<FileDigest | undefined> {
  if (record && record.size === file.size && record.mtimeMs === Math.trunc(file.mtimeMs) && record.chunk === chunk) return record;
  await ctx.access(ctx.vendor, file.source, 'read');
  return digestFile(await ctx.hq.resolve(file.source, false), file.size, file.mtimeMs, chunk);
}
