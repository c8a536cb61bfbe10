/**
 * The receiving end of a file: chunks are verified and written at their offset
 * into a hidden partial file next to the destination; `finish` checks every
 * chunk against the sender's manifest (re-reading the ones that came from an
 * earlier attempt), keeps the mtime and renames atomically into place. A fresh
 * file whose prepare named its mtime needs no `finish`: every chunk was verified
 * on arrival, so the last one to land renames it into place. Small files arrive
 * in batches, each written once (landing.ts).
 */
import { constants } from 'node:fs';
import { copyFile, lstat, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { HandoffError, isHandoffError } from '../../core/errors.ts';
import { chunkBuffers } from './buffer-pool.ts';
import { hashChunk } from './chunk-hash.ts';
import { DirectWriter } from './direct-write.ts';
import { PARTIAL_WRITE_FLAGS, landingError, partialPath, writeSmallFiles } from './landing.ts';
import type { LandingHooks, SmallFile } from './landing.ts';
import { digestOf } from './digest.ts';

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
  /** Given for a fresh file: it goes into place with this mtime as soon as its last chunk lands. */
  mtimeMs?: number;
}

export interface Manifest {
  fid: number;
  /** Chunk hashes in order. */
  hashes: string[];
  mtimeMs: number;
}

export type WireFailure = { code: string; message: string; retryable: boolean };

/** What the sender of a chunk is told: a failure to act on, or that the whole file is now in place. */
export interface ChunkAnswer {
  failure?: WireFailure;
  finished?: boolean;
}

interface OpenFile {
  handle: FileHandle;
  /** Whole chunks go past the page cache through this handle when the file system allows it. */
  direct: DirectWriter | undefined;
  partial: string;
  final: string;
  /** As the sender named it (relative). */
  destination: string;
  size: number;
  chunkSize: number;
  received: Map<number, string>;
  /** Chunk writes under way (a spare copy of a chunk may still be landing when `finish` comes). */
  writing: Set<Promise<unknown>>;
  /** Set for a fresh file that goes into place when its last chunk lands. */
  mtimeMs: number | undefined;
}

export function chunkCount(size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize);
}

/** Batches whose results are remembered, so a late copy of one is answered without being written again. */
const BATCHES_KEPT = 1024;

/** Files whose end is remembered (in place, or why not), for chunk copies and finishes that come late. */
const ENDS_KEPT = 4096;

/**
 * How long a chunk waits for its file's prepare: the sender does not wait for
 * the prepare's answer, and the two travel on different connections.
 */
const PREPARE_WAIT_MS = 30_000;

export class FileReceiver {
  private readonly resolve: ResolveWrite;
  private readonly onFinished: ((fid: number) => void) | undefined;
  private readonly files = new Map<number, OpenFile>();
  private readonly batches = new Map<number, Promise<(WireFailure | null)[]>>();
  /** Prepares and renames under way: a chunk or finish for such a file waits for it. */
  private readonly settling = new Map<number, Promise<unknown>>();
  /** Files that ended: in place (null) or the failure that ended them. */
  private readonly ended = new Map<number, WireFailure | null>();
  /** Chunks that arrived before their file's prepare, woken when it comes. */
  private readonly early = new Map<number, Set<() => void>>();

  private readonly hooks: LandingHooks;

  /** `onFinished` is called once for each file renamed into place. */
  constructor(resolve: ResolveWrite, onFinished?: (fid: number) => void, hooks: LandingHooks = {}) {
    this.resolve = resolve;
    this.onFinished = onFinished;
    this.hooks = hooks;
  }

  async prepare(request: PrepareRequest): Promise<{ fresh: boolean }> {
    const opening = this.open(request);
    this.settling.set(request.fid, opening);
    this.wake(request.fid);
    try {
      return await opening;
    } catch (err) {
      const failure = await landingError(this.hooks, err, request.destination, request.size);
      this.end(request.fid, failure);
      throw isHandoffError(err) ? err : new HandoffError(failure.code, failure.message, { retryable: failure.retryable, cause: err });
    } finally {
      if (this.settling.get(request.fid) === opening) this.settling.delete(request.fid);
    }
  }

  private async open(request: PrepareRequest): Promise<{ fresh: boolean }> {
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
      await this.hooks.reserve?.(request.size, request.destination);
      handle = await open(partial, PARTIAL_WRITE_FLAGS | constants.O_TRUNC, 0o644).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        // The folder was removed since this receiver last wrote into it: make it again.
        final = await this.resolve(request.destination, true);
        partial = partialPath(final);
        return open(partial, PARTIAL_WRITE_FLAGS | constants.O_TRUNC, 0o644);
      });
      await handle.truncate(request.size);
    }
    const direct = request.size >= request.chunkSize ? await DirectWriter.open(partial, request.chunkSize) : undefined;
    const mtimeMs = fresh && Number.isFinite(request.mtimeMs) ? request.mtimeMs : undefined;
    this.files.set(request.fid, { handle: handle!, direct, partial, final, destination: request.destination, size: request.size, chunkSize: request.chunkSize, received: new Map(), writing: new Set(), mtimeMs });
    return { fresh };
  }

  /**
   * Verifies and writes one chunk; answers with the failure instead of throwing
   * so the sender can re-send. The last chunk of a file that goes into place by
   * itself (see `PrepareRequest.mtimeMs`) answers once the file is in place.
   */
  async chunk(fid: number, index: number, hash: string, body: Buffer): Promise<ChunkAnswer> {
    const found = this.files.get(fid) ?? (await this.find(fid));
    if (found === null) return { finished: true };
    if (!isOpenFile(found)) return { failure: found };
    const file = found;
    const offset = index * file.chunkSize;
    const length = Math.min(file.chunkSize, file.size - offset);
    if (!Number.isInteger(index) || index < 0 || length <= 0 || body.length !== length) {
      return { failure: { code: 'WIRE_PROTOCOL', message: `Chunk ${index} does not fit the file`, retryable: false } };
    }
    if (hashChunk(body) !== hash) {
      return { failure: { code: 'WIRE_CHUNK_CORRUPT', message: `Chunk ${index} of ${file.final} failed verification`, retryable: true } };
    }
    const write = this.write(file, body.subarray(0, length), offset);
    file.writing.add(write);
    try {
      await write;
    } catch (err) {
      return { failure: await this.abandon(fid, file, err) };
    } finally {
      file.writing.delete(write);
    }
    file.received.set(index, hash);
    if (file.mtimeMs === undefined || file.received.size < chunkCount(file.size, file.chunkSize)) return {};
    // Every chunk of a fresh file has landed, each verified against its hash on arrival: the file is whole.
    if (this.files.get(fid) !== file) return answerFor(await this.find(fid));
    const hashes = Array.from({ length: chunkCount(file.size, file.chunkSize) }, (_, at) => file.received.get(at)!);
    const failure = await this.complete(fid, file, file.mtimeMs, hashes);
    return failure ? { failure } : { finished: true };
  }

  /**
   * The file `fid` once no prepare or rename of it is under way: open, in place
   * (null), or the failure that ended it. A chunk may come before its file's
   * prepare and waits for it, at most PREPARE_WAIT_MS.
   */
  private async find(fid: number): Promise<OpenFile | WireFailure | null> {
    for (let waited = false; ; waited = true) {
      const file = this.files.get(fid);
      if (file) return file;
      const settling = this.settling.get(fid);
      if (settling) {
        await settling.catch(() => undefined);
        continue;
      }
      const ended = this.ended.get(fid);
      if (ended !== undefined) return ended;
      if (waited) return { code: 'WIRE_UNKNOWN_FILE', message: `No open file ${fid}`, retryable: true };
      await this.prepareOf(fid);
    }
  }

  /** Settles when file `fid`'s prepare arrives, after PREPARE_WAIT_MS, or when the receiver drops everything. */
  private prepareOf(fid: number): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.early.get(fid) ?? new Set<() => void>();
      this.early.set(fid, waiting);
      const wake = (): void => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (waiting.size === 0 && this.early.get(fid) === waiting) this.early.delete(fid);
        resolve();
      };
      const timer = setTimeout(wake, PREPARE_WAIT_MS);
      waiting.add(wake);
    });
  }

  private wake(fid: number): void {
    for (const wake of [...(this.early.get(fid) ?? [])]) wake();
  }

  private end(fid: number, outcome: WireFailure | null): void {
    this.ended.delete(fid);
    this.ended.set(fid, outcome);
    if (this.ended.size > ENDS_KEPT) this.ended.delete(this.ended.keys().next().value!);
  }

  /** Takes the file out of the open ones and into place; returns the failure, if any, and remembers the outcome. */
  private async complete(fid: number, file: OpenFile, mtimeMs: number, hashes: string[]): Promise<WireFailure | undefined> {
    // No chunk lands after this point: a late copy waits for the outcome, and writes under way finish first.
    this.files.delete(fid);
    const renaming = this.rename(file, mtimeMs);
    this.settling.set(fid, renaming);
    try {
      await renaming;
      this.hooks.placed?.(file.destination, digestOf(file.size, mtimeMs, file.chunkSize, hashes));
      this.end(fid, null);
      this.onFinished?.(fid);
      return undefined;
    } catch (err) {
      await unlink(file.partial).catch(() => undefined);
      const failure = await landingError(this.hooks, err, file.destination, file.size);
      this.end(fid, failure);
      return failure;
    } finally {
      this.settling.delete(fid);
    }
  }

  /** A write failed (a full disk): the file ends, and its partial goes so no half-written file stays behind. */
  private async abandon(fid: number, file: OpenFile, err: unknown): Promise<WireFailure> {
    const failure = await landingError(this.hooks, err, file.destination, file.size);
    if (this.files.get(fid) === file) {
      this.files.delete(fid);
      this.end(fid, failure);
      await Promise.allSettled(file.writing);
      await file.direct?.close().catch(() => undefined);
      await file.handle.close().catch(() => undefined);
      await unlink(file.partial).catch(() => undefined);
    }
    return this.ended.get(fid) ?? failure;
  }

  private async rename(file: OpenFile, mtimeMs: number): Promise<void> {
    await Promise.allSettled(file.writing);
    try {
      await file.handle.datasync();
      const mtime = new Date(mtimeMs);
      await file.handle.utimes(mtime, mtime);
    } finally {
      await file.direct?.close();
      await file.handle.close();
    }
    await rename(file.partial, file.final);
  }

  private async write(file: OpenFile, data: Buffer, offset: number): Promise<void> {
    if (await file.direct?.write(data, offset)) return;
    let written = 0;
    while (written < data.length) written += (await file.handle.write(data, written, data.length - written, offset + written)).bytesWritten;
  }

  /** Checks the whole file against the manifest; renames it into place only when every chunk matches. */
  async finish(manifest: Manifest): Promise<{ ok: true } | { ok: false; bad: number[] }> {
    const found = await this.find(manifest.fid);
    // Already in place: it went there when its last chunk landed.
    if (found === null) return { ok: true };
    if (!isOpenFile(found)) throw new HandoffError(found.code, found.message, { retryable: found.retryable });
    const file = found;
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
    const failure = await this.complete(manifest.fid, file, manifest.mtimeMs, manifest.hashes);
    if (failure) throw new HandoffError(failure.code, failure.message, { retryable: failure.retryable });
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
    const results = writeSmallFiles(this.resolve, files, body, this.hooks);
    this.batches.set(id, results);
    if (this.batches.size > BATCHES_KEPT) this.batches.delete(this.batches.keys().next().value!);
    return { results: await results, copy: false };
  }

  /** Forgets an open file; its partial stays for a later resume. */
  async drop(fid: number): Promise<void> {
    const file = this.files.get(fid);
    if (!file) return;
    this.files.delete(fid);
    this.end(fid, { code: 'WIRE_UNKNOWN_FILE', message: `File ${fid} was dropped`, retryable: true });
    await Promise.allSettled(file.writing);
    await file.direct?.close();
    await file.handle.close().catch(() => undefined);
    this.hooks.dropped?.(file.destination, { size: file.size, chunkSize: file.chunkSize, received: file.received });
  }

  async dropAll(): Promise<void> {
    for (const fid of [...this.early.keys()]) this.wake(fid);
    await Promise.all([...this.files.keys()].map((fid) => this.drop(fid)));
  }
}

function isOpenFile(found: OpenFile | WireFailure): found is OpenFile {
  return 'received' in found;
}

function answerFor(found: OpenFile | WireFailure | null): ChunkAnswer {
  if (found === null) return { finished: true };
  return isOpenFile(found) ? {} : { failure: found };
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
