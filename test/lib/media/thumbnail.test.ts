import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeThumbnail } from '../../../lib/media/index.ts';
import { exrSequence, pngSequence, stillFrame, tempDir, testMovie } from '../../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function jpegFacts(file: string) {
  const meta = await sharp(file).metadata();
  const stats = await sharp(file).stats();
  return { format: meta.format, width: meta.width, height: meta.height, means: stats.channels.slice(0, 3).map((c) => Math.round(c.mean)) };
}

describe('makeThumbnail', () => {
  it('uses sharp for PNG and keeps the aspect ratio inside maxSize', async () => {
    const pngDir = path.join(dir, 'png');
    await mkdir(pngDir);
    const pattern = await pngSequence(pngDir, { width: 320, height: 180, count: 3 });
    const out = path.join(dir, 'png.jpg');
    const thumb = await makeThumbnail({ input: pattern, output: out, maxSize: 100 });
    expect(thumb).toMatchObject({ tool: 'sharp', width: 100, height: 56 });
    expect(await jpegFacts(out)).toMatchObject({ format: 'jpeg', width: 100, height: 56 });
  });

  it('turns linear EXR into sRGB through ffmpeg (0.214 linear is mid grey)', async () => {
    const exrDir = path.join(dir, 'exr');
    await mkdir(exrDir);
    const pattern = await exrSequence(exrDir, { width: 64, height: 36, count: 2, rgb: [0.214, 0.214, 0.214] });
    const out = path.join(dir, 'exr.jpg');
    expect(await makeThumbnail({ input: pattern, output: out })).toMatchObject({ tool: 'ffmpeg', width: 64, height: 36 });
    const facts = await jpegFacts(out);
    expect(facts.format).toBe('jpeg');
    for (const mean of facts.means) expect(Math.abs(mean - 128)).toBeLessThanOrEqual(3);
  });

  it('reads DPX stills and the middle of movies through ffmpeg', async () => {
    const dpx = await stillFrame(path.join(dir, 'a.dpx'), { width: 48, height: 28 });
    expect(await makeThumbnail({ input: dpx, output: path.join(dir, 'dpx.jpg') })).toMatchObject({ tool: 'ffmpeg', width: 48, height: 28 });
    const movie = await testMovie(path.join(dir, 'm.mp4'), { width: 96, height: 54, frames: 24 });
    const out = path.join(dir, 'movie.jpg');
    expect(await makeThumbnail({ input: movie, output: out, maxSize: 48 })).toMatchObject({ tool: 'ffmpeg', width: 48, height: 27 });
    expect(await jpegFacts(out)).toMatchObject({ format: 'jpeg', width: 48, height: 27 });
  });
});
