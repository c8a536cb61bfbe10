/**
 * Probing: what an image, sequence or movie is (size, frames, codec, pixel
 * format, colour tags). Images are read from their headers without decoding
 * (sharp metadata for PNG/JPEG/TIFF/WebP, own parsers for EXR and DPX), so
 * pre-publish can check thousands of frames cheaply.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { HandoffError } from '../../core/errors.ts';
import { checkFrames, framePath, isSequencePattern, parseSequencePattern } from '../frames.ts';
import type { FrameCheck } from '../frames.ts';
import { DPX_TRANSFER_NAMES, isDpx, readDpxHeader } from './dpx-header.ts';
import type { DpxHeader } from './dpx-header.ts';
import { isExr, readExrHeader } from './exr-header.ts';
import type { ExrHeader } from './exr-header.ts';
import { probeStream } from './streams.ts';
import type { ColourTags } from './streams.ts';

export * from './dpx-header.ts';
export * from './exr-header.ts';
export * from './mp4-boxes.ts';
export * from './streams.ts';

export type ImageFormat = 'exr' | 'dpx' | 'png' | 'jpeg' | 'tiff' | 'webp' | 'other';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** Bits per channel sample when the header says (EXR half = 16, float = 32). */
  bitDepth: number | undefined;
  colour: ColourTags;
  exr?: ExrHeader;
  dpx?: DpxHeader;
}

export type MediaInfo =
  | ({ kind: 'image'; path: string; frameCount: 1 } & ImageInfo)
  | ({ kind: 'sequence'; pattern: string; frameCount: number; frames: FrameCheck } & ImageInfo)
  | { kind: 'movie'; path: string; format: string; width: number; height: number; frameCount: number | undefined;
      codec: string; pixelFormat: string; fps: number | undefined; durationSeconds: number | undefined; colour: ColourTags };

const MOVIE_EXTENSIONS = new Set(['.mp4', '.mov', '.m4v', '.mxf', '.mkv', '.avi', '.webm']);

export function isMovie(file: string): boolean {
  return MOVIE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

async function readMagic(file: string): Promise<Buffer> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw new HandoffError('MEDIA_INPUT_MISSING', `Cannot open ${file}.`, {
      cause: err,
      hint: 'Check that the file exists and is readable.',
      details: { path: file },
    });
  });
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function headerError(file: string, err: unknown): HandoffError {
  const reason = err instanceof Error ? err.message : String(err);
  return new HandoffError('MEDIA_UNREADABLE', `Cannot read the image header of ${file}: ${reason}.`, {
    cause: err,
    hint: 'The file is damaged or not an image; export it again.',
    details: { path: file },
  });
}

/** Size, depth and colour facts of one still image, from its header only. */
export async function probeImage(file: string): Promise<ImageInfo> {
  const magic = await readMagic(file);
  try {
    if (isExr(magic)) {
      const exr = await readExrHeader(file);
      const { xMin, xMax, yMin, yMax } = exr.dataWindow;
      const depth = exr.channels.some((c) => c.pixelType === 'half') ? 16 : 32;
      return { format: 'exr', width: xMax - xMin + 1, height: yMax - yMin + 1, bitDepth: depth, colour: { transfer: 'linear' }, exr };
    }
    if (isDpx(magic)) {
      const dpx = await readDpxHeader(file);
      return { format: 'dpx', width: dpx.width, height: dpx.height, bitDepth: dpx.bitDepth, colour: { transfer: DPX_TRANSFER_NAMES[dpx.transfer] }, dpx };
    }
    const meta = await sharp(file).metadata();
    const format = (['png', 'jpeg', 'tiff', 'webp'] as const).find((f) => f === meta.format) ?? 'other';
    const bitDepth = meta.depth === 'ushort' ? 16 : meta.depth === 'float' ? 32 : meta.depth === 'uchar' ? 8 : undefined;
    return { format, width: meta.width, height: meta.height, bitDepth, colour: { transfer: meta.space === 'scrgb' ? 'linear' : 'srgb' } };
  } catch (err) {
    throw headerError(file, err);
  }
}

/** Probes a still, a `%04d` sequence (frames checked on disk) or a movie. */
export async function probeMedia(
  input: string,
  options: { range?: { first: number; last: number }; countFrames?: boolean } = {},
): Promise<MediaInfo> {
  if (isSequencePattern(input)) {
    const pattern = parseSequencePattern(input);
    const frames = await checkFrames(pattern, options.range);
    const sample = frames.present[0];
    if (sample === undefined) {
      throw new HandoffError('MEDIA_INPUT_MISSING', `No readable frame of ${input} in ${frames.first}-${frames.last}.`, {
        hint: 'Check the frame range and that the frames are not empty files.',
        details: { pattern: input, missing: frames.missing.length, empty: frames.empty },
      });
    }
    const image = await probeImage(framePath(pattern, sample));
    return { kind: 'sequence', pattern: input, frameCount: frames.present.length, frames, ...image };
  }
  if (isMovie(input)) {
    await readMagic(input);
    const stream = await probeStream(input, { countFrames: options.countFrames ?? false });
    return { kind: 'movie', path: input, format: path.extname(input).slice(1).toLowerCase(), ...stream };
  }
  return { kind: 'image', path: input, frameCount: 1, ...(await probeImage(input)) };
}
