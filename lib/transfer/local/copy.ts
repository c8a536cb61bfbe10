/**
 * Chunked, verified, resumable copy of one file between local roots: chunks
 * are read, hashed (xxh128) and written at their offset into a partial file,
 * each recorded in the ledger; before the atomic rename the whole partial file
 * is re-read and every chunk checked against its recorded hash (a bad chunk is
 * re-sent), then the mtime is set and the file renamed into place.
 */
import { mkdir, open, rename, stat, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { xxhash128 } from 'hash-wasm';
import { HandoffError } from '../../core/errors.ts';
import { ledgerKey, type ChunkLedger, type FilePlan, type SendOptions } from '../transport.ts';
import { partialPath } from '../wire/names.ts';

/** Writes one chunk; injectable so tests can simulate a full disk. */
export type WriteChunk = (handle: FileHandle, data: Buffer, position: number) => Promise<void>;

export const writeChunkToDisk: WriteChunk = async (handle, data, position) => {
  let written = 0;
  for (let guard = 0; written < data.length && guard < 1_000_000; guard++) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
};

export interface CopyContext {
  chunkSize: number;
  /** Flush file data to disk before the rename (default on; off trades power-cut safety for speed). */
  fsync: boolean;
  writeChunk: WriteChunk;
  /** Called after each chunk is written and recorded (tests count re-sent chunks). */
  onChunk?: ((file: FilePlan, index: number) => void) | undefined;
  options: SendOptions;
}

type LedgerWithHashes = ChunkLedger & { hashes?(fileKey: string): Promise<Map<number, string>> };

const aborted = (): HandoffError => new HandoffError('TRANSFER_ABORTED', 'Transfer interrupted', { retryable: true });

async function readChunk(handle: FileHandle, index: number, chunkSize: number, size: number): Promise<Buffer> {
  const length = Math.min(chunkSize, size - index * chunkSize);
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  for (let guard = 0; read < length && guard < 1_000_000; guard++) {
    const { bytesRead } = await handle.read(buffer, read, length - read, index * chunkSize + read);
    if (bytesRead === 0) throw new HandoffError('TRANSFER_SOURCE_CHANGED', 'Source file shrank while being read', { retryable: true });
    read += bytesRead;
  }
  return buffer;
}

export async function copyFile(file: FilePlan, sourceAbs: string, destinationAbs: string, ctx: CopyContext): Promise<void> {
  const { chunkSize, options } = ctx;
  const ledger = options.ledger as LedgerWithHashes;
  const info = await stat(sourceAbs);
  if (info.size !== file.size || Math.trunc(info.mtimeMs) !== Math.trunc(file.mtimeMs)) {
    throw new HandoffError('TRANSFER_SOURCE_CHANGED', `${file.source} changed since it was listed`, {
      retryable: true,
      details: { source: file.source },
      hint: 'The task retries with the new version by itself.',
    });
  }
  const existing = await stat(destinationAbs).catch(() => undefined);
  if (existing?.isFile() && existing.size === file.size && Math.trunc(existing.mtimeMs) === Math.trunc(file.mtimeMs)) {
    options.onProgress(file.taskId, file.size);
    return; // already in place (same size and mtime)
  }
  const key = ledgerKey(file, chunkSize);
  const partial = partialPath(destinationAbs);
  await mkdir(path.dirname(destinationAbs), { recursive: true });
  const chunks = Math.ceil(file.size / chunkSize);
  const partialInfo = await stat(partial).catch(() => undefined);
  let hashes = ledger.hashes ? await ledger.hashes(key) : new Map([...(await ledger.done(key))].map((i) => [i, '']));
  if (hashes.size && partialInfo?.size !== file.size) {
    await ledger.clear(key); // the partial file is gone or not ours: start over
    hashes = new Map();
  }
  const length = (index: number): number => Math.min(chunkSize, file.size - index * chunkSize);
  options.onProgress(file.taskId, [...hashes.keys()].reduce((sum, index) => sum + length(index), 0));

  const source = await open(sourceAbs, 'r');
  const target = await open(partial, partialInfo ? 'r+' : 'w+');
  try {
    await target.truncate(file.size);
    const send = async (index: number): Promise<void> => {
      if (options.signal.aborted) throw aborted();
      await options.throttle?.(length(index), options.signal);
      const data = await readChunk(source, index, chunkSize, file.size);
      const hash = await xxhash128(data);
      await ctx.writeChunk(target, data, index * chunkSize);
      // A one-chunk file gains nothing from the ledger (it is re-sent whole), so skip the commit.
      if (chunks > 1) await ledger.mark(key, index, hash);
      hashes.set(index, hash);
      ctx.onChunk?.(file, index);
    };
    for (let index = 0; index < chunks; index++) {
      if (hashes.has(index)) continue;
      await send(index);
      options.onProgress(file.taskId, length(index));
    }
    // Whole-file verification: every chunk on disk must match the hash recorded when it was read.
    for (let round = 0; ; round++) {
      const bad: number[] = [];
      for (let index = 0; index < chunks; index++) {
        if (options.signal.aborted) throw aborted();
        const onDisk = await xxhash128(await readChunk(target, index, chunkSize, file.size));
        const expected = hashes.get(index) || (await xxhash128(await readChunk(source, index, chunkSize, file.size)));
        if (onDisk !== expected) bad.push(index);
      }
      if (bad.length === 0) break;
      if (round >= 2) {
        throw new HandoffError('TRANSFER_VERIFY_FAILED', `${file.destination} failed verification ${round + 1} times (chunks ${bad.join(', ')})`, {
          retryable: true,
          details: { destination: file.destination, chunks: bad },
          hint: 'The destination storage corrupts writes; check the disk. The task retries by itself.',
        });
      }
      for (const index of bad) await send(index);
    }
    if (ctx.fsync) await target.datasync(); // the bytes are on disk before the rename makes them visible
  } finally {
    await source.close();
    await target.close();
  }
  await utimes(partial, info.atime, info.mtime);
  await rename(partial, destinationAbs);
  if (chunks > 1) await ledger.clear(key);
}
