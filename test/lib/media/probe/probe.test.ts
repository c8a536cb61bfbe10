import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { mp4TopLevelBoxes, mp4VideoFrameCount, parseFfmpegStreamLine, probeImage, probeMedia, probeStreamWithFfmpeg, readDpxHeader } from '../../../../lib/media/index.ts';
import { stillFrame, exrSequence, pngSequence, tempDir, testMovie } from '../../../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('probeImage', () => {
  it('reads PNG, 16-bit TIFF and JPEG sizes from headers', async () => {
    const png = path.join(dir, 'a.png');
    const tiff = path.join(dir, 'a.tif');
    const jpeg = path.join(dir, 'a.jpg');
    const raw = { create: { width: 33, height: 21, channels: 3 as const, background: '#808080' } };
    await sharp(raw).png().toFile(png);
    await stillFrame(tiff, { width: 34, height: 22, pixelFormat: 'rgb48le' });
    await sharp(raw).jpeg().toFile(jpeg);
    expect(await probeImage(png)).toMatchObject({ format: 'png', width: 33, height: 21, bitDepth: 8 });
    expect(await probeImage(tiff)).toMatchObject({ format: 'tiff', width: 34, height: 22, bitDepth: 16 });
    expect(await probeImage(jpeg)).toMatchObject({ format: 'jpeg', width: 33, height: 21 });
  });

  it('reads DPX headers', async () => {
    const file = await stillFrame(path.join(dir, 'a.dpx'), { width: 48, height: 26 });
    expect(await probeImage(file)).toMatchObject({ format: 'dpx', width: 48, height: 26, bitDepth: 16 });
    expect((await readDpxHeader(file)).descriptor).toBe(50);
  });

  it('gives MEDIA_UNREADABLE for a damaged image and MEDIA_INPUT_MISSING for no file', async () => {
    const bad = path.join(dir, 'bad.png');
    await writeFile(bad, 'definitely not a png');
    expect(isHandoffError(await probeImage(bad).catch((e: unknown) => e), 'MEDIA_UNREADABLE')).toBe(true);
    expect(isHandoffError(await probeImage(path.join(dir, 'none.png')).catch((e: unknown) => e), 'MEDIA_INPUT_MISSING')).toBe(true);
  });
});

describe('probeMedia', () => {
  it('probes an EXR sequence: size, frames and linear transfer', async () => {
    const seqDir = path.join(dir, 'exr');
    await mkdir(seqDir);
    const pattern = await exrSequence(seqDir, { width: 40, height: 20, first: 99, count: 4 });
    const info = await probeMedia(pattern);
    expect(info).toMatchObject({ kind: 'sequence', format: 'exr', width: 40, height: 20, frameCount: 4, colour: { transfer: 'linear' } });
    if (info.kind === 'sequence') expect(info.frames).toMatchObject({ first: 99, last: 102, missing: [] });
  });

  it('reports holes in a sequence against a requested range', async () => {
    const seqDir = path.join(dir, 'holes');
    await mkdir(seqDir);
    const pattern = await pngSequence(seqDir, { count: 5 });
    await rm(path.join(seqDir, 'plate.1003.png'));
    await writeFile(path.join(seqDir, 'plate.1004.png'), '');
    const info = await probeMedia(pattern, { range: { first: 1000, last: 1005 } });
    expect(info.kind === 'sequence' && info.frames).toMatchObject({ missing: [1000, 1003], empty: [1004], present: [1001, 1002, 1005] });
  });

  it('probes a movie with ffprobe and, without it, with ffmpeg alone', async () => {
    const movie = await testMovie(path.join(dir, 'm.mp4'), { width: 48, height: 28, frames: 7 });
    const info = await probeMedia(movie, { countFrames: true });
    expect(info).toMatchObject({ kind: 'movie', codec: 'h264', width: 48, height: 28, pixelFormat: 'yuv420p', frameCount: 7, fps: 24 });
    const fallback = await probeStreamWithFfmpeg(movie, true);
    expect(fallback).toMatchObject({ codec: 'h264', width: 48, height: 28, pixelFormat: 'yuv420p', frameCount: 7, fps: 24 });
    const boxes = await mp4TopLevelBoxes(movie);
    expect(boxes.indexOf('moov')).toBeGreaterThan(boxes.indexOf('mdat'));
    expect(await mp4VideoFrameCount(movie)).toBe(7);
    expect(await mp4VideoFrameCount(path.join(dir, 'a.png').replace('a.png', 'a.jpg'))).toBeUndefined();
  });
});

describe('parseFfmpegStreamLine', () => {
  it('reads codec, pixel format, colour tags and size', () => {
    const line = '  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 940 kb/s, 25 fps, 25 tbr';
    expect(parseFfmpegStreamLine(line)).toEqual({
      codec: 'h264', width: 1920, height: 1080, pixelFormat: 'yuv420p', fps: 25,
      colour: { matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' },
    });
    const mixed = 'Stream #0:0: Video: prores (HQ) (apch / 0x68637061), yuv422p10le(tv, bt709/bt2020/smpte2084, progressive), 3840x2160, 23.98 fps';
    expect(parseFfmpegStreamLine(mixed)?.colour).toEqual({ matrix: 'bt709', primaries: 'bt2020', transfer: 'smpte2084', range: 'tv' });
  });
});
