/**
 * Tiny media for tests, made on the spot in a temp dir: PNG sequences and
 * movies through ffmpeg, scanline EXRs (uncompressed, half) written directly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { encodeExr } from '../../lib/demo/exr.ts';
import { resolveFfmpeg } from '../../lib/media/index.ts';

export async function tempDir(prefix = 'handoff-media-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function ffmpeg(args: string[]): Promise<void> {
  const { path: binary } = await resolveFfmpeg();
  await execa(binary, ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);
}

/** `count` PNG frames `name.%04d.png` from `first`, of a moving test pattern. */
export async function pngSequence(dir: string, options: { width?: number; height?: number; first?: number; count?: number; name?: string } = {}): Promise<string> {
  const { width = 64, height = 36, first = 1001, count = 10, name = 'plate' } = options;
  const pattern = path.join(dir, `${name}.%04d.png`);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=24`, '-frames:v', String(count), '-start_number', String(first), pattern]);
  return pattern;
}

export async function testMovie(file: string, options: { width?: number; height?: number; frames?: number } = {}): Promise<string> {
  const { width = 64, height = 36, frames = 10 } = options;
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=24`, '-frames:v', String(frames), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', file]);
  return file;
}

/** One test-pattern frame; the encoder follows the extension (dpx, tif, png …). */
export async function stillFrame(file: string, options: { width?: number; height?: number; pixelFormat?: string } = {}): Promise<string> {
  const { width = 64, height = 36, pixelFormat = 'rgb48le' } = options;
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=24`, '-frames:v', '1', '-pix_fmt', pixelFormat, '-update', '1', file]);
  return file;
}

/** An uncompressed half-float RGB scanline EXR filled with one linear colour. */
export function exrImage(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  return encodeExr(width, height, () => rgb);
}

/** Writes `count` EXR frames `name.%04d.exr` from `first`; returns the pattern. */
export async function exrSequence(dir: string, options: { width?: number; height?: number; first?: number; count?: number; rgb?: readonly [number, number, number] } = {}): Promise<string> {
  const { width = 64, height = 36, first = 1001, count = 10, rgb = [0.214, 0.214, 0.214] } = options;
  const image = exrImage(width, height, rgb);
  for (let frame = first; frame < first + count; frame += 1) {
    await writeFile(path.join(dir, `plate.${String(frame).padStart(4, '0')}.exr`), image);
  }
  return path.join(dir, 'plate.####.exr');
}
