import { appendFile, mkdtemp, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSmallInto, smallFilesBuffer } from '../../../../lib/transfer/wire/source.ts';
import type { FilePlan } from '../../../../lib/transfer/transport.ts';

describe('readSmallInto', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-source-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes a file and plans it as the listing would. */
  async function planned(name: string, data: Buffer): Promise<{ file: string; plan: FilePlan }> {
    const file = path.join(dir, name);
    await writeFile(file, data);
    const info = await stat(file);
    return { file, plan: { taskId: 't', source: name, destination: name, size: info.size, mtimeMs: info.mtimeMs } };
  }

  it('reads files back to back into one buffer, an empty one included', async () => {
    const files = [await planned('a.txt', Buffer.from('alpha')), await planned('empty', Buffer.alloc(0)), await planned('b.txt', Buffer.from('bravo!'))];
    const buffer = smallFilesBuffer(files.map(({ plan }) => plan));
    let offset = 0;
    const bodies = files.map(({ file, plan }) => {
      const body = readSmallInto(file, plan, buffer, offset);
      offset += body.length;
      return body.toString();
    });
    expect(bodies).toEqual(['alpha', '', 'bravo!']);
    expect(buffer.subarray(0, offset).toString()).toBe('alphabravo!');
  });

  it('refuses a file that grew or shrank since it was listed', async () => {
    const grown = await planned('grown', Buffer.from('12345'));
    await appendFile(grown.file, '6');
    const shrunk = await planned('shrunk', Buffer.from('12345'));
    await truncate(shrunk.file, 3);
    for (const { file, plan } of [grown, shrunk]) {
      expect(() => readSmallInto(file, plan, smallFilesBuffer([plan]), 0)).toThrow(expect.objectContaining({ code: 'TRANSFER_SOURCE_CHANGED', retryable: true }));
    }
  });

  it('refuses a file that grew even when it was listed empty', async () => {
    const { file, plan } = await planned('was-empty', Buffer.alloc(0));
    await writeFile(file, 'now with bytes');
    expect(() => readSmallInto(file, plan, smallFilesBuffer([plan]), 0)).toThrow(expect.objectContaining({ code: 'TRANSFER_SOURCE_CHANGED' }));
  });

  it('needs a spare byte past the file, so it never reads into memory it was not given', async () => {
    const { file, plan } = await planned('exact', Buffer.from('abc'));
    expect(() => readSmallInto(file, plan, Buffer.alloc(3), 0)).toThrow(RangeError);
    expect(readSmallInto(file, plan, Buffer.alloc(4), 0).toString()).toBe('abc');
  });

  it('does not follow a link put where a listed file was', async () => {
    const { plan } = await planned('target', Buffer.from('secret'));
    const link = path.join(dir, 'link');
    await symlink(path.join(dir, 'target'), link);
    expect(() => readSmallInto(link, plan, smallFilesBuffer([plan]), 0)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });
});
