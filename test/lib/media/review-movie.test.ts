import { mkdir, readdir, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../lib/core/errors.ts';
import { makeReviewMovie, mp4TopLevelBoxes, probeMedia } from '../../../lib/media/index.ts';
import type { ReviewProgress } from '../../../lib/media/index.ts';
import { verifyFrameCount } from '../../../lib/media/review-movie.ts';
import { exrSequence, pngSequence, tempDir, testMovie } from '../../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function expectReviewable(file: string, frames: number) {
  const info = await probeMedia(file, { countFrames: true });
  expect(info).toMatchObject({
    kind: 'movie', codec: 'h264', pixelFormat: 'yuv420p', frameCount: frames,
    colour: { matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' },
  });
  expect(info.width % 2).toBe(0);
  expect(info.height % 2).toBe(0);
  const boxes = await mp4TopLevelBoxes(file);
  expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  return info;
}

async function folder(name: string) {
  const target = path.join(dir, name);
  await mkdir(target);
  return target;
}

describe('makeReviewMovie', () => {
  it('encodes a PNG sequence with progress, from its start number', async () => {
    const seq = await folder('png');
    const pattern = await pngSequence(seq, { first: 1001, count: 10 });
    const progress: ReviewProgress[] = [];
    const out = path.join(dir, 'png.mp4');
    const movie = await makeReviewMovie({ input: pattern, output: out, fps: 25, onProgress: (p) => progress.push(p) });
    expect(movie).toMatchObject({ path: out, width: 64, height: 36, frameCount: 10, fps: 25 });
    const info = await expectReviewable(out, 10);
    expect(info.kind === 'movie' && info.fps).toBe(25);
    expect(progress.at(-1)).toMatchObject({ frame: 10, totalFrames: 10, fraction: 1 });
    expect((await readdir(dir)).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('makes odd sizes even and fits inside maxSize', async () => {
    const seq = await folder('odd');
    const pattern = await pngSequence(seq, { width: 130, height: 74, count: 3 });
    const movie = await makeReviewMovie({ input: pattern, output: path.join(dir, 'odd.mp4'), maxSize: { width: 65, height: 65 } });
    expect(movie).toMatchObject({ width: 64, height: 36 });
    await expectReviewable(movie.path, 3);
  });

  it('encodes a linear EXR sequence with burn-ins', async () => {
    const seq = await folder('exr');
    const pattern = await exrSequence(seq, { count: 10 });
    const out = path.join(dir, 'exr.mp4');
    await makeReviewMovie({ input: pattern, output: out, burnIns: { shot: "sh010 'a:b', 100%", version: 'v003', vendor: 'Acme [fx]', frameNumber: true } });
    await expectReviewable(out, 10);
  });

  it('re-encodes a movie to the review profile', async () => {
    const source = await testMovie(path.join(dir, 'src.mp4'), { width: 80, height: 46, frames: 12 });
    const movie = await makeReviewMovie({ input: source, output: path.join(dir, 'movie.mp4') });
    expect(movie.frameCount).toBe(12);
    await expectReviewable(movie.path, 12);
  });

  it('refuses a sequence with a missing frame before encoding anything', async () => {
    const seq = await folder('hole');
    const pattern = await pngSequence(seq, { count: 10 });
    await rm(path.join(seq, 'plate.1004.png'));
    const out = path.join(dir, 'hole.mp4');
    const err = await makeReviewMovie({ input: pattern, output: out }).catch((e: unknown) => e);
    expect(isHandoffError(err, 'MEDIA_FRAMES_MISSING')).toBe(true);
    expect((err as { details: { missing: number[] } }).details.missing).toEqual([1004]);
    expect(await readdir(dir)).not.toContain('hole.mp4');
  });

  it('refuses an EXR sequence with a truncated frame, which ffmpeg would decode silently', async () => {
    const seq = await folder('cut');
    const pattern = await exrSequence(seq, { count: 5 });
    const frame = path.join(seq, 'plate.1003.exr');
    await truncate(frame, (await stat(frame)).size - 200);
    const err = await makeReviewMovie({ input: pattern, output: path.join(dir, 'cut.mp4') }).catch((e: unknown) => e);
    expect(isHandoffError(err, 'MEDIA_UNREADABLE')).toBe(true);
    expect((err as { details: { damaged: number[] } }).details.damaged).toEqual([1003]);
  });

  it('treats a frame count other than expected as an error', async () => {
    const movie = await testMovie(path.join(dir, 'short.mp4'), { frames: 7 });
    expect(await verifyFrameCount(movie, 7, 'src')).toBe(7);
    const err = await verifyFrameCount(movie, 10, 'src').catch((e: unknown) => e);
    expect(isHandoffError(err, 'MEDIA_FRAME_COUNT_MISMATCH')).toBe(true);
    expect((err as { details: unknown }).details).toMatchObject({ expected: 10, written: 7 });
  });

  it('stops and cleans up when cancelled', async () => {
    const seq = await folder('abort');
    const pattern = await pngSequence(seq, { count: 10 });
    const controller = new AbortController();
    controller.abort();
    const err = await makeReviewMovie({ input: pattern, output: path.join(dir, 'abort.mp4'), signal: controller.signal }).catch((e: unknown) => e);
    expect(isHandoffError(err, 'MEDIA_ABORTED')).toBe(true);
    expect((await readdir(dir)).filter((n) => n === 'abort.mp4' || n.includes('partial'))).toEqual([]);
  });
});
