/**
 * Tiny media for tests, made on the spot in a temp dir: PNG sequences and
 * movies through ffmpeg, scanline EXRs (uncompressed, half) written directly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
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

function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = (bits >>> 13) & 0x3ff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | mantissa;
}

function attribute(name: string, type: string, value: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  return Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), size, value]);
}

function int32s(...values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeInt32LE(v, i * 4));
  return buf;
}

/** An uncompressed half-float RGB scanline EXR filled with one linear colour. */
export function exrImage(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const channel = (name: string) => Buffer.concat([Buffer.from(`${name}\0`), int32s(1), Buffer.from([0, 0, 0, 0]), int32s(1, 1)]);
  const floats = (...v: number[]) => Buffer.from(new Float32Array(v).buffer);
  const header = Buffer.concat([
    Buffer.from([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0]),
    attribute('channels', 'chlist', Buffer.concat([channel('B'), channel('G'), channel('R'), Buffer.from([0])])),
    attribute('compression', 'compression', Buffer.from([0])),
    attribute('dataWindow', 'box2i', int32s(0, 0, width - 1, height - 1)),
    attribute('displayWindow', 'box2i', int32s(0, 0, width - 1, height - 1)),
    attribute('lineOrder', 'lineOrder', Buffer.from([0])),
    attribute('pixelAspectRatio', 'float', floats(1)),
    attribute('screenWindowCenter', 'v2f', floats(0, 0)),
    attribute('screenWindowWidth', 'float', floats(1)),
    Buffer.from([0]),
  ]);
  const line = Buffer.alloc(width * 3 * 2);
  [rgb[2], rgb[1], rgb[0]].forEach((value, c) => {
    for (let x = 0; x < width; x += 1) line.writeUInt16LE(toHalf(value), (c * width + x) * 2);
  });
  const table = Buffer.alloc(height * 8);
  const chunks: Buffer[] = [];
  let offset = header.length + table.length;
  for (let y = 0; y < height; y += 1) {
    table.writeBigUInt64LE(BigInt(offset), y * 8);
    const chunk = Buffer.concat([int32s(y, line.length), line]);
    chunks.push(chunk);
    offset += chunk.length;
  }
  return Buffer.concat([header, table, ...chunks]);
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
