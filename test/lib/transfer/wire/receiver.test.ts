import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashChunk, loadChunkHash } from '../../../../lib/transfer/wire/chunk-hash.ts';
import { directStats, directWritesAllowed } from '../../../../lib/transfer/wire/direct-write.ts';
import { partialPath } from '../../../../lib/transfer/wire/landing.ts';
import { FileReceiver } from '../../../../lib/transfer/wire/receiver.ts';

const CHUNK = 4096;

describe('file receiver', () => {
  let dir: string;
  let receiver: FileReceiver;
  beforeAll(loadChunkHash);
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-receiver-'));
    receiver = new FileReceiver((relative) => path.join(dir, relative));
  });
  afterEach(async () => {
    await receiver.dropAll();
    await rm(dir, { recursive: true, force: true });
  });

  const hashesOf = (data: Buffer): string[] => {
    const hashes: string[] = [];
    for (let offset = 0; offset < data.length; offset += CHUNK) hashes.push(hashChunk(data.subarray(offset, offset + CHUNK)));
    return hashes;
  };

  it('a resume finds the file already in place (its finish answer was lost) and verifies it instead of starting over', async () => {
    const data = randomBytes(CHUNK * 3 + 100);
    await writeFile(path.join(dir, 'shot.exr'), data);
    const prepared = await receiver.prepare({ fid: 1, destination: 'shot.exr', size: data.length, chunkSize: CHUNK, resume: true });
    expect(prepared.fresh).toBe(false);
    await expect(receiver.finish({ fid: 1, hashes: hashesOf(data), mtimeMs: 1_700_000_000_000 })).resolves.toEqual({ ok: true });
    expect((await readFile(path.join(dir, 'shot.exr'))).equals(data)).toBe(true);
    expect(await readdir(dir)).toEqual(['shot.exr']);
  });

  it('a file in place that differs from the manifest is left untouched until the re-sent chunks verify', async () => {
    const old = randomBytes(CHUNK * 2);
    const fresh = Buffer.from(old);
    fresh[CHUNK + 7] = fresh[CHUNK + 7]! ^ 0xff;
    await writeFile(path.join(dir, 'shot.exr'), old);
    expect((await receiver.prepare({ fid: 2, destination: 'shot.exr', size: fresh.length, chunkSize: CHUNK, resume: true })).fresh).toBe(false);
    await expect(receiver.finish({ fid: 2, hashes: hashesOf(fresh), mtimeMs: 0 })).resolves.toEqual({ ok: false, bad: [1] });
    expect((await readFile(path.join(dir, 'shot.exr'))).equals(old)).toBe(true);
    const second = fresh.subarray(CHUNK);
    expect(await receiver.chunk(2, 1, hashChunk(second), second)).toEqual({});
    await expect(receiver.finish({ fid: 2, hashes: hashesOf(fresh), mtimeMs: 0 })).resolves.toEqual({ ok: true });
    expect((await readFile(path.join(dir, 'shot.exr'))).equals(fresh)).toBe(true);
  });

  it('a spare copy still being written when finish comes lands before the mtime is set; one arriving after is told the file is in place', async () => {
    const data = randomBytes(CHUNK * 2);
    await receiver.prepare({ fid: 4, destination: 'shot.exr', size: data.length, chunkSize: CHUNK, resume: false });
    const parts = [data.subarray(0, CHUNK), data.subarray(CHUNK)];
    for (const [index, part] of parts.entries()) expect(await receiver.chunk(4, index, hashChunk(part), part)).toEqual({});
    const mtimeMs = 1_700_000_000_000;
    const spare = receiver.chunk(4, 1, hashChunk(parts[1]!), parts[1]!);
    const finished = receiver.finish({ fid: 4, hashes: hashesOf(data), mtimeMs });
    await expect(Promise.all([spare, finished])).resolves.toEqual([{}, { ok: true }]);
    const late = await receiver.chunk(4, 0, hashChunk(parts[0]!), parts[0]!);
    expect(late).toEqual({ finished: true });
    const landed = path.join(dir, 'shot.exr');
    expect((await readFile(landed)).equals(data)).toBe(true);
    expect((await stat(landed)).mtimeMs).toBe(mtimeMs);
    expect(await readdir(dir)).toEqual(['shot.exr']);
  });

  it('whole chunks land past the page cache where the file system takes it, the tail through it, in any order', async () => {
    const data = randomBytes(CHUNK * 5 + 123);
    await receiver.prepare({ fid: 5, destination: 'plate.exr', size: data.length, chunkSize: CHUNK, resume: false });
    const partial = partialPath(path.join(dir, 'plate.exr'));
    const probe = (await directWritesAllowed(partial)) ? await open(partial, constants.O_WRONLY | constants.O_DIRECT).catch(() => undefined) : undefined;
    await probe?.close();
    const before = directStats.bytes;
    const order = [5, 2, 0, 4, 1, 3];
    await Promise.all(
      order.map((index) => {
        const part = data.subarray(index * CHUNK, (index + 1) * CHUNK);
        return receiver.chunk(5, index, hashChunk(part), part);
      }),
    ).then((answers) => expect(answers).toEqual(order.map(() => ({}))));
    await expect(receiver.finish({ fid: 5, hashes: hashesOf(data), mtimeMs: 1_700_000_000_000 })).resolves.toEqual({ ok: true });
    expect((await readFile(path.join(dir, 'plate.exr'))).equals(data)).toBe(true);
    // Five whole chunks go direct where this file system allows it; the 123-byte tail never does.
    expect(directStats.bytes - before).toBe(probe ? CHUNK * 5 : 0);
  });

  it('a fresh file prepared with its mtime goes into place when its last chunk lands, without a finish', async () => {
    const finished: number[] = [];
    receiver = new FileReceiver((relative) => path.join(dir, relative), (fid) => finished.push(fid));
    const data = randomBytes(CHUNK * 3 + 10);
    const mtimeMs = 1_700_000_000_000;
    await receiver.prepare({ fid: 6, destination: 'plate.exr', size: data.length, chunkSize: CHUNK, resume: false, mtimeMs });
    const part = (index: number): Buffer => data.subarray(index * CHUNK, (index + 1) * CHUNK);
    for (const index of [3, 0, 2]) expect(await receiver.chunk(6, index, hashChunk(part(index)), part(index))).toEqual({});
    expect(await readdir(dir)).toEqual([path.basename(partialPath('plate.exr'))]);
    // A corrupt copy of the last chunk does not complete it.
    expect((await receiver.chunk(6, 1, hashChunk(part(2)), part(1))).failure?.code).toBe('WIRE_CHUNK_CORRUPT');
    const [last, spare] = await Promise.all([receiver.chunk(6, 1, hashChunk(part(1)), part(1)), receiver.chunk(6, 1, hashChunk(part(1)), part(1))]);
    expect([last, spare]).toEqual([{ finished: true }, { finished: true }]);
    const landed = path.join(dir, 'plate.exr');
    expect((await readFile(landed)).equals(data)).toBe(true);
    expect((await stat(landed)).mtimeMs).toBe(mtimeMs);
    expect(await readdir(dir)).toEqual(['plate.exr']);
    expect(finished).toEqual([6]);
    // A finish sent before the sender saw that answer is told the file is in place.
    await expect(receiver.finish({ fid: 6, hashes: hashesOf(data), mtimeMs })).resolves.toEqual({ ok: true });
  });

  it('a resumed file waits for the manifest even when prepared with an mtime', async () => {
    const data = randomBytes(CHUNK * 2);
    await writeFile(partialPath(path.join(dir, 'plate.exr')), Buffer.concat([data.subarray(0, CHUNK), Buffer.alloc(CHUNK)]));
    const prepared = await receiver.prepare({ fid: 7, destination: 'plate.exr', size: data.length, chunkSize: CHUNK, resume: true, mtimeMs: 0 });
    expect(prepared.fresh).toBe(false);
    const second = data.subarray(CHUNK);
    expect(await receiver.chunk(7, 1, hashChunk(second), second)).toEqual({});
    expect(await readdir(dir)).toEqual([path.basename(partialPath('plate.exr'))]);
    await expect(receiver.finish({ fid: 7, hashes: hashesOf(data), mtimeMs: 0 })).resolves.toEqual({ ok: true });
    expect((await readFile(path.join(dir, 'plate.exr'))).equals(data)).toBe(true);
  });

  it('chunks that overtake their prepare wait for it, and take its failure when it fails', async () => {
    const data = randomBytes(CHUNK * 2);
    const part = (index: number): Buffer => data.subarray(index * CHUNK, (index + 1) * CHUNK);
    const early = [0, 1].map((index) => receiver.chunk(8, index, hashChunk(part(index)), part(index)));
    await receiver.prepare({ fid: 8, destination: 'early.exr', size: data.length, chunkSize: CHUNK, resume: false, mtimeMs: 0 });
    const answers = await Promise.all(early);
    expect(answers.filter((answer) => answer.finished)).toHaveLength(1);
    expect((await readFile(path.join(dir, 'early.exr'))).equals(data)).toBe(true);

    const refusing = new FileReceiver((relative) => {
      if (relative.includes('..')) throw Object.assign(new Error('refused'), { code: 'EACCES' });
      return path.join(dir, relative);
    });
    const waiting = refusing.chunk(9, 0, hashChunk(part(0)), part(0));
    await expect(refusing.prepare({ fid: 9, destination: '../out.exr', size: data.length, chunkSize: CHUNK, resume: false, mtimeMs: 0 })).rejects.toThrow();
    expect((await waiting).failure).toMatchObject({ code: 'TRANSFER_PERMISSION_DENIED', retryable: false });
    // A chunk for a file that was never prepared is let go once the receiver drops everything.
    const orphan = refusing.chunk(10, 0, hashChunk(part(0)), part(0));
    await refusing.dropAll();
    expect((await orphan).failure?.code).toBe('WIRE_UNKNOWN_FILE');
  });

  it('a file in place of another size is not adopted', async () => {
    await writeFile(path.join(dir, 'shot.exr'), randomBytes(10));
    expect((await receiver.prepare({ fid: 3, destination: 'shot.exr', size: CHUNK, chunkSize: CHUNK, resume: true })).fresh).toBe(true);
  });
});

describe('partialPath', () => {
  it('names a hidden file beside the final one', () => {
    for (const final of ['/srv/vendor/a/plate.exr', '/plate.exr', 'plate.exr', 'a/b/.hidden', '/srv/with space/é.txt']) {
      expect(partialPath(final)).toBe(path.join(path.dirname(final), `.${path.basename(final)}.handoff-partial`));
    }
  });
});
