/**
 * The receiving end of a file: chunks are verified and written at their offset
 * into a hidden partial file next to the destination; `finish` checks every
 * chunk against the sender's manifest (re-reading the ones that came from an
 * earlier attempt), keeps the mtime and renames atomically into place. Small
 * files arrive in batches and are written whole through a temporary name.
 */
import { closeSync, constants, futimesSync, openSync, renameSync, writeSync } from 'node:fs';
import { copyFile, lstat, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import { chunkBuffers } from './buffer-pool.ts';
import { hashChunk } from './chunk-hash.ts';
import { DirectWriter } from './direct-write.ts';

/**
 * Maps a relative destination to an absolute, confined path (folders created).
 * Throws when refused. `again`: a folder it gave before is gone, prove and make it afresh.
 */
export type ResolveWrite = (relative: string, again?: boolean) => string | Promise<string>;

export interface PrepareRequest {
  fid: number;
  destination: string;
  size: number;
  chunkSize: number;
  /** The sender's ledger holds chunks for this file: keep the partial file if it is intact. */
  resume: boolean;
}

export interface Manifest {
  fid: number;
  /** Chunk hashes in order. */
  hashes: string[];
  mtimeMs: number;
}

export interface SmallFile {
  destination: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

export type WireFailure = { code: string; message: string; retryable: boolean };

interface OpenFile {
  handle: FileHandle;
  /** Whole chunks go past the page cache through this handle when the file system allows it. */
  direct: DirectWriter | undefined;
  partial: string;
  final: string;
  size: number;
  chunkSize: number;
  received: Map<number, string>;
  /** Chunk writes under way (a spare copy of a chunk may still be landing when `finish` comes). */
  writing: Set<Promise<unknown>>;
}

const WRITE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW;

export function partialPath(final: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}.handoff-partial`);
}

export function chunkCount(size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize);
}

/** Batches whose results are remembered, so a late copy of one is answered without being written again. */
const BATCHES_KEPT = 1024;

export class FileReceiver {
  private readonly resolve: ResolveWrite;
  private readonly files = new Map<number, OpenFile>();
  private readonly batches = new Map<number, Promise<(WireFailure | null)[]>>();

  constructor(resolve: ResolveWrite) {
    this.resolve = resolve;
  }

  async prepare(request: PrepareRequest): Promise<{ fresh: boolean }> {
    await this.drop(request.fid);
    let final = await this.resolve(request.destination);
    let partial = partialPath(final);
    let handle: FileHandle | undefined;
    let fresh = true;
    if (request.resume) {
      handle = (await openPartial(partial)) ?? (await adoptFinal(final, partial, request.size));
      if (handle && (await handle.stat()).size === request.size) fresh = false;
    }
    if (fresh) {
      await handle?.close();
      handle = await open(partial, WRITE_FLAGS | constants.O_TRUNC, 0o644).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        // The folder was removed since this receiver last wrote into it: make it again.
        final = await this.resolve(request.destination, true);
        partial = partialPath(final);
        return open(partial, WRITE_FLAGS | constants.O_TRUNC, 0o644);
      });
      await handle.truncate(request.size);
    }
    const direct = request.size >= request.chunkSize ? await DirectWriter.open(partial, request.chunkSize) : undefined;
    this.files.set(request.fid, { handle: handle!, direct, partial, final, size: request.size, chunkSize: request.chunkSize, received: new Map(), writing: new Set() });
    return { fresh };
  }

  /** Verifies and writes one chunk; returns the failure instead of throwing so the sender can re-send. */
  async chunk(fid: number, index: number, hash: string, body: Buffer): Promise<WireFailure | undefined> {
    const file = this.files.get(fid);
    if (!file) return { code: 'WIRE_UNKNOWN_FILE', message: `No open file ${fid}`, retryable: true };
    const offset = index * file.chunkSize;
    const length = Math.min(file.chunkSize, file.size - offset);
    if (!Number.isInteger(index) || index < 0 || length <= 0 || body.length !== length) {
      return { code: 'WIRE_PROTOCOL', message: `Chunk ${index} does not fit the file`, retryable: false };
    }
    if (hashChunk(body) !== hash) {
      return { code: 'WIRE_CHUNK_CORRUPT', message: `Chunk ${index} of ${file.final} failed verification`, retryable: true };
    }
    const write = this.write(file, body.subarray(0, length), offset);
    file.writing.add(write);
    try {
      await write;
    } finally {
      file.writing.delete(write);
    }
    file.received.set(index, hash);
    return undefined;
  }

  private async write(file: OpenFile, data: Buffer, offset: number): Promise<void> {
    if (await file.direct?.write(data, offset)) return;
    let written = 0;
    while (written < data.length) written += (await file.handle.write(data, written, data.length - written, offset + written)).bytesWritten;
  }

  /** Checks the whole file against the manifest; renames it into place only when every chunk matches. */
  async finish(manifest: Manifest): Promise<{ ok: true } | { ok: false; bad: number[] }> {
    const file = this.files.get(manifest.fid);
    if (!file) throw new HandoffError('WIRE_UNKNOWN_FILE', `No open file ${manifest.fid}`, { retryable: true });
    const count = chunkCount(file.size, file.chunkSize);
    if (manifest.hashes.length !== count) throw new HandoffError('WIRE_PROTOCOL', `Manifest lists ${manifest.hashes.length} chunks, expected ${count}`);
    const bad: number[] = [];
    const buffer = chunkBuffers.take(Math.min(file.chunkSize, Math.max(file.size, 1)));
    for (let index = 0; index < count; index++) {
      let actual = file.received.get(index);
      if (actual === undefined) {
        const offset = index * file.chunkSize;
        const length = Math.min(file.chunkSize, file.size - offset);
        const { bytesRead } = await file.handle.read(buffer, 0, length, offset);
        actual = bytesRead === length ? hashChunk(buffer.subarray(0, length)) : '';
      }
      if (actual !== manifest.hashes[index]) bad.push(index);
    }
    chunkBuffers.give(buffer);
    if (bad.length > 0) {
      for (const index of bad) file.received.delete(index);
      return { ok: false, bad };
    }
    // No chunk lands after this point: a late copy finds no open file, and writes under way finish first.
    this.files.delete(manifest.fid);
    await Promise.allSettled(file.writing);
    await file.handle.datasync();
    const mtime = new Date(manifest.mtimeMs);
    await file.handle.utimes(mtime, mtime);
    await file.direct?.close();
    await file.handle.close();
    await rename(file.partial, file.final);
    return { ok: true };
  }

  /**
   * Writes batch `id` once: every copy of it (a spare, or one sent again after its
   * answer was lost) gets the first copy's results, and a copy arriving late
   * cannot put older bytes over a file written since.
   */
  async batch(id: number, files: SmallFile[], body: Buffer): Promise<{ results: (WireFailure | null)[]; copy: boolean }> {
    const known = this.batches.get(id);
    if (known) return { results: await known, copy: true };
    const results = this.small(files, body);
    this.batches.set(id, results);
    if (this.batches.size > BATCHES_KEPT) this.batches.delete(this.batches.keys().next().value!);
    return { results: await results, copy: false };
  }

  /** Writes a batch of whole small files; one result per file (null = in place). */
  async small(files: SmallFile[], body: Buffer): Promise<(WireFailure | null)[]> {
    const results: (WireFailure | null)[] = [];
    let offset = 0;
    for (const entry of files) {
      const data = body.subarray(offset, offset + entry.size);
      offset += entry.size;
      try {
        if (data.length !== entry.size || hashChunk(data) !== entry.hash) {
          throw new HandoffError('WIRE_CHUNK_CORRUPT', `${entry.destination} failed verification`, { retryable: true });
        }
        const resolved = this.resolve(entry.destination);
        let final = typeof resolved === 'string' ? resolved : await resolved;
        let fd: number;
        try {
          fd = openSync(partialPath(final), WRITE_FLAGS | constants.O_TRUNC, 0o644);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          // The folder was removed since this receiver last wrote into it: make it again.
          final = await this.resolve(entry.destination, true);
          fd = openSync(partialPath(final), WRITE_FLAGS | constants.O_TRUNC, 0o644);
        }
        const temporary = partialPath(final);
        try {
          let written = 0;
          while (written < data.length) written += writeSync(fd, data, written, data.length - written);
          futimesSync(fd, entry.mtimeMs / 1000, entry.mtimeMs / 1000);
        } finally {
          closeSync(fd);
        }
        renameSync(temporary, final);
        results.push(null);
      } catch (err) {
        const error = toTransferError(err, entry.destination);
        results.push({ code: error.code, message: error.message, retryable: error.retryable });
      }
    }
    return results;
  }

  /** Forgets an open file; its partial stays for a later resume. */
  async drop(fid: number): Promise<void> {
    const file = this.files.get(fid);
    if (!file) return;
    this.files.delete(fid);
    await file.direct?.close();
    await file.handle.close().catch(() => undefined);
  }

  async dropAll(): Promise<void> {
    await Promise.all([...this.files.keys()].map((fid) => this.drop(fid)));
  }
}

function openPartial(partial: string): Promise<FileHandle | undefined> {
  return open(partial, constants.O_RDWR | constants.O_NOFOLLOW).catch(() => undefined);
}

/**
 * The file may already be in place from an attempt whose `finish` answer was lost
 * on the way back: copy it to the partial name so `finish` verifies it against
 * the manifest like any resumed file, instead of the sender starting over.
 */
async function adoptFinal(final: string, partial: string, size: number): Promise<FileHandle | undefined> {
  const existing = await lstat(final).catch(() => undefined);
  if (!existing?.isFile() || existing.size !== size) return undefined;
  await copyFile(final, partial, constants.COPYFILE_FICLONE).catch(() => undefined);
  return openPartial(partial);
}

/** Removes a partial file that can never complete (used when a file is abandoned). */
export async function removePartial(final: string): Promise<void> {
  await unlink(partialPath(final)).catch(() => undefined);
}
