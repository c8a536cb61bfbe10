import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExrHeader, readExrHeader } from '../../../../lib/media/probe/index.ts';
import { exrImage, tempDir } from '../../../support/media-fixtures.ts';

describe('EXR header', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('reads windows, compression and channels', async () => {
    const file = path.join(dir, 'a.exr');
    await writeFile(file, exrImage(70, 40, [0.5, 0.25, 1]));
    const header = await readExrHeader(file);
    expect(header.dataWindow).toEqual({ xMin: 0, yMin: 0, xMax: 69, yMax: 39 });
    expect(header.displayWindow).toEqual(header.dataWindow);
    expect(header.compression).toBe('none');
    expect(header.channels.map((c) => `${c.name}:${c.pixelType}`)).toEqual(['B:half', 'G:half', 'R:half']);
    expect(header).toMatchObject({ tiled: false, multipart: false, complete: true });
  });

  it('notices a file cut off before its last scanline', async () => {
    const file = path.join(dir, 'cut.exr');
    const whole = exrImage(64, 36, [0.2, 0.2, 0.2]);
    await writeFile(file, whole.subarray(0, whole.length - 100));
    expect((await readExrHeader(file)).complete).toBe(false);
  });

  it('refuses files that are not EXR', () => {
    expect(() => parseExrHeader(Buffer.from('not an exr at all'))).toThrow(/bad magic/);
  });

  it('refuses a header whose attributes run past the data', () => {
    const whole = exrImage(8, 8, [0, 0, 0]);
    expect(() => parseExrHeader(whole.subarray(0, 60))).toThrow();
  });
});
