import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../lib/core/errors.ts';
import { checkFrames, framePath, isSequencePattern, parseSequencePattern, printfPattern } from '../../../lib/media/index.ts';
import { tempDir } from '../../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('sequence patterns', () => {
  it('reads every padding notation and names frames as the pattern does', () => {
    const pattern = parseSequencePattern('/s/sh010.comp.%04d.exr');
    expect(pattern).toEqual({ dir: '/s', head: 'sh010.comp.', tail: '.exr', padding: 4 });
    expect(parseSequencePattern('/s/sh010.comp.####.exr')).toEqual(pattern);
    expect(parseSequencePattern('/s/sh010.comp.$F4.exr')).toEqual(pattern);
    expect(framePath(pattern, 7)).toBe('/s/sh010.comp.0007.exr');
    expect(framePath(pattern, 10001)).toBe('/s/sh010.comp.10001.exr');
    expect(framePath(parseSequencePattern('/s/a_%d.png'), 3)).toBe('/s/a_3.png');
  });

  it('gives ffmpeg a printf pattern with literal percent signs doubled', () => {
    expect(printfPattern(parseSequencePattern('/s/100%_grade.@@@.dpx'))).toBe('/s/100%%_grade.%03d.dpx');
    expect(isSequencePattern('/s/plate.####.exr')).toBe(true);
    expect(isSequencePattern('/s/plate.exr')).toBe(false);
  });

  it('refuses paths without a frame token', () => {
    expect(() => parseSequencePattern('/s/plate.exr')).toThrow(expect.objectContaining({ code: 'SEQUENCE_PATTERN_INVALID' }));
  });
});

describe('checkFrames', () => {
  it('finds the range on disk, ignoring other names and under-padded frames', async () => {
    const seq = path.join(dir, 'a');
    await mkdir(seq);
    for (const name of ['p.0998.png', 'p.0999.png', 'p.1001.png', 'p.12.png', 'q.1000.png', 'p.1000.jpg']) {
      await writeFile(path.join(seq, name), 'x');
    }
    const check = await checkFrames(parseSequencePattern(path.join(seq, 'p.%04d.png')));
    expect(check).toEqual({ first: 998, last: 1001, present: [998, 999, 1001], missing: [1000], empty: [] });
  });

  it('says MEDIA_INPUT_MISSING when nothing matches', async () => {
    const err = await checkFrames(parseSequencePattern(path.join(dir, 'none.%04d.exr'))).catch((e: unknown) => e);
    expect(isHandoffError(err, 'MEDIA_INPUT_MISSING')).toBe(true);
  });
});
