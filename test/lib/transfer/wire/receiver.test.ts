import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashChunk, loadChunkHash } from '../../../../lib/transfer/wire/chunk-hash.ts';
import { directStats, directWritesAllowed } from '../../../../lib/transfer/wire/direct-write.ts';
import { FileReceiver, partialPath } from '../../../../lib/transfer/wire/receiver.ts';

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
    expect(await receiver.chunk(2, 1, hashChunk(second), second)).toBeUndefined();
    await expect(receiver.finish({ fid: 2, hashes: hashesOf(fresh), mtimeMs: 0 })).resolves.toEqual({ ok: true });
    expect((await readFile(path.join(dir, 'shot.exr'))).equals(fresh)).toBe(true);
  });

  it('a spare copy still being written when finish comes lands before the mtime is set; one arriving after finds no file', async () => {
    const data = randomBytes(CHUNK * 2);
    await receiver.prepare({ fid: 4, destination: 'shot.exr', size: data.length, chunkSize: CHUNK, resume: false });
    const parts = [data.subarray(0, CHUNK), data.subarray(CHUNK)];
    for (const [index, part] of parts.entries()) expect(await receiver.chunk(4, index, hashChunk(part), part)).toBeUndefined();
    const mtimeMs = 1_700_000_000_000;
    const spare = receiver.chunk(4, 1, hashChunk(parts[1]!), parts[1]!);
    const finished = receiver.finish({ fid: 4, hashes: hashesOf(data), mtimeMs });
    await expect(Promise.all([spare, finished])).resolves.toEqual([undefined, { ok: true }]);
    const late = await receiver.chunk(4, 0, hashChunk(parts[0]!), parts[0]!);
    expect(late?.code).toBe('WIRE_UNKNOWN_FILE');
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
    ).then((failures) => expect(failures).toEqual(order.map(() => undefined)));
    await expect(receiver.finish({ fid: 5, hashes: hashesOf(data), mtimeMs: 1_700_000_000_000 })).resolves.toEqual({ ok: true });
    expect((await readFile(path.join(dir, 'plate.exr'))).equals(data)).toBe(true);
    // Five whole chunks go direct where this file system allows it; the 123-byte tail never does.
    expect(directStats.bytes - before).toBe(probe ? CHUNK * 5 : 0);
  });

  it('a file in place of another size is not adopted', async () => {
    await writeFile(path.join(dir, 'shot.exr'), randomBytes(10));
    expect((await receiver.prepare({ fid: 3, destination: 'shot.exr', size: CHUNK, chunkSize: CHUNK, resume: true })).fresh).toBe(true);
  });
});
