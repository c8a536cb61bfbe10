/**
 * Thumbnails: a JPEG no larger than `maxSize` on its long side. sharp reads
 * PNG/JPEG/TIFF/WebP (16-bit and float TIFF included); ffmpeg handles EXR
 * (linear → sRGB), DPX and movies (the middle frame).
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { HandoffError } from '../core/errors.ts';
import { buildArgs, resolveFfmpeg, runFfmpeg } from './ffmpeg/index.ts';
import type { FfmpegInput } from './ffmpeg/index.ts';
import { framePath, parseSequencePattern } from './frames.ts';
import { fitWithin } from './geometry.ts';
import { probeMedia } from './probe/index.ts';
import type { MediaInfo } from './probe/index.ts';

export interface ThumbnailOptions {
  /** A still, a frame pattern (the middle frame is used) or a movie (its middle). */
  input: string;
  /** The `.jpg` to write. */
  output: string;
  /** Longest side in pixels. Default 512. */
  maxSize?: number;
  quality?: number;
}

export interface Thumbnail {
  path: string;
  width: number;
  height: number;
  tool: 'sharp' | 'ffmpeg';
}

const SHARP_FORMATS = new Set(['png', 'jpeg', 'tiff', 'webp']);

/** The one file (and seek point) a thumbnail is taken from. */
function sourceOf(info: MediaInfo): FfmpegInput {
  if (info.kind === 'sequence') {
    const middle = info.frames.present[Math.floor(info.frames.present.length / 2)] ?? info.frames.first;
    return { path: framePath(parseSequencePattern(info.pattern), middle) };
  }
  if (info.kind === 'movie') return { path: info.path, seekSeconds: (info.durationSeconds ?? 0) / 2 };
  return { path: info.path };
}

export async function makeThumbnail(options: ThumbnailOptions): Promise<Thumbnail> {
  const info = await probeMedia(options.input);
  const maxSize = options.maxSize ?? 512;
  const size = fitWithin(info, { width: maxSize, height: maxSize });
  const source = sourceOf(info);
  const partial = path.join(path.dirname(options.output), `.${path.basename(options.output, '.jpg')}.partial.jpg`);
  try {
    if (info.kind !== 'movie' && SHARP_FORMATS.has(info.format)) {
      await sharp(source.path)
        .resize(size.width, size.height, { fit: 'fill' })
        .jpeg({ quality: options.quality ?? 85 })
        .toFile(partial);
      await rename(partial, options.output);
      return { path: options.output, ...size, tool: 'sharp' };
    }
    const decoder = info.kind === 'movie' ? undefined : info.format === 'exr' ? 'exr' : info.format === 'dpx' ? 'dpx' : undefined;
    const exrDwa = info.kind !== 'movie' && (info.exr?.compression === 'dwaa' || info.exr?.compression === 'dwab');
    const ffmpeg = await resolveFfmpeg({ encoders: ['mjpeg'], filters: ['scale'], decoders: decoder ? [decoder] : [], exrDwa });
    const input = info.format === 'exr' ? { ...source, applyTrc: 'iec61966_2_1' } : source;
    const qscale = String(Math.round(2 + ((100 - (options.quality ?? 85)) / 100) * 29));
    const args = buildArgs({
      inputs: [input],
      filters: [{ name: 'scale', options: { w: size.width, h: size.height, flags: 'area' } }],
      output: { path: partial, options: ['-frames:v', '1', '-q:v', qscale, '-f', 'image2', '-update', '1'] },
    });
    const result = await runFfmpeg(ffmpeg.path, args, { timeoutMs: 120_000 });
    if (!result.ok) {
      throw new HandoffError('MEDIA_FFMPEG_FAILED', `ffmpeg could not make a thumbnail of ${options.input}.`, {
        hint: 'Read the ffmpeg message in details.stderr; the source frame may be damaged.',
        details: { input: options.input, stderr: result.stderr.slice(-2000) },
      });
    }
    await rename(partial, options.output);
    return { path: options.output, ...size, tool: 'ffmpeg' };
  } finally {
    await rm(partial, { force: true });
  }
}
