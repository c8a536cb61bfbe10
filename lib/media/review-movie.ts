/**
 * Review movies: H.264 MP4 (yuv420p, BT.709 tags, even size, faststart) from an
 * image sequence or a movie. Frames are checked before encoding and counted
 * after, because ffmpeg stops quietly at a missing frame.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { burnInFilters, hasBurnIns } from './burn-in.ts';
import type { BurnIns } from './burn-in.ts';
import { buildArgs, h264ReviewOptions, resolveFfmpeg, runFfmpeg } from './ffmpeg/index.ts';
import type { FfmpegInput, FfmpegNeeds, FfmpegResult, Filter } from './ffmpeg/index.ts';
import { fitWithin } from './geometry.ts';
import { probeMedia, probeStream } from './probe/index.ts';
import type { MediaInfo, StreamInfo } from './probe/index.ts';

export interface ReviewProgress {
  frame: number;
  totalFrames: number;
  /** 0..1 */
  fraction: number;
}

export interface ReviewMovieOptions {
  /** A frame pattern (`plate.%04d.exr`) or a movie file. */
  input: string;
  /** The `.mp4` to write; written under a temporary name and renamed when verified. */
  output: string;
  /** Sequence frame range; defaults to the frames found on disk. */
  range?: { first: number; last: number };
  /** Sequence frame rate (movies keep their own). Default 24. */
  fps?: number;
  maxSize?: { width: number; height: number };
  /** Treat the input as scene-linear and convert to sRGB. Default: true for EXR. */
  linear?: boolean;
  burnIns?: BurnIns;
  crf?: number;
  preset?: string;
  onProgress?: (progress: ReviewProgress) => void;
  signal?: AbortSignal;
}

export interface ReviewMovie {
  path: string;
  width: number;
  height: number;
  frameCount: number;
  fps: number;
  durationMs: number;
  ffmpeg: string;
}

const DECODERS: Record<string, string> = { exr: 'exr', dpx: 'dpx', png: 'png', jpeg: 'mjpeg', tiff: 'tiff', webp: 'webp' };

function refuseIncomplete(info: MediaInfo): void {
  if (info.kind !== 'sequence') return;
  const { missing, empty, first, last } = info.frames;
  if (missing.length || empty.length) {
    throw new HandoffError('MEDIA_FRAMES_MISSING', `${info.pattern} is incomplete in ${first}-${last}: ${missing.length} missing, ${empty.length} empty.`, {
      hint: 'Deliver the missing frames, or encode the range that is complete.',
      details: { pattern: info.pattern, missing: missing.slice(0, 100), empty: empty.slice(0, 100) },
    });
  }
  if (info.format === 'exr' && info.exr?.complete === false) {
    throw new HandoffError('MEDIA_UNREADABLE', `The first frame of ${info.pattern} is truncated.`, {
      hint: 'Copy or render the frame again; the file ends before its last scanline block.',
      details: { pattern: info.pattern },
    });
  }
}

function inputOf(info: MediaInfo, fps: number, linear: boolean): FfmpegInput {
  if (info.kind === 'sequence') {
    return { path: info.pattern, sequence: { startNumber: info.frames.first, frameRate: fps }, ...(linear ? { applyTrc: 'iec61966_2_1' } : {}) };
  }
  return { path: info.path };
}

function failed(result: FfmpegResult, input: string): HandoffError {
  if (result.interrupted === 'aborted') return new HandoffError('MEDIA_ABORTED', `Encoding ${input} was cancelled.`, { details: { input } });
  return new HandoffError('MEDIA_FFMPEG_FAILED', `ffmpeg failed to encode ${input} (exit ${result.exitCode ?? result.interrupted}).`, {
    hint: 'Read the ffmpeg message in details.stderr; a damaged frame or an unsupported format is the usual cause.',
    details: { input, stderr: result.stderr.slice(-2000) },
  });
}

/** Counts the frames of an encoded movie; a count other than `expected` is an error. */
export async function verifyFrameCount(movie: string, expected: number, source: string): Promise<StreamInfo> {
  const written = await probeStream(movie, { countFrames: true });
  if (written.frameCount !== expected) {
    throw new HandoffError('MEDIA_FRAME_COUNT_MISMATCH', `The review movie has ${written.frameCount ?? 0} frames; ${source} has ${expected}.`, {
      hint: 'A frame could not be decoded or went missing during encoding; check the source frames and encode again.',
      details: { input: source, movie, expected, written: written.frameCount },
    });
  }
  return written;
}

export async function makeReviewMovie(options: ReviewMovieOptions): Promise<ReviewMovie> {
  const info = await probeMedia(options.input, { ...(options.range ? { range: options.range } : {}), countFrames: true });
  refuseIncomplete(info);
  const expected = info.frameCount;
  if (!expected) throw new HandoffError('MEDIA_UNREADABLE', `${options.input} has no video frames.`, { details: { input: options.input } });
  const fps = info.kind === 'movie' ? (info.fps ?? 24) : (options.fps ?? 24);
  const linear = options.linear ?? info.format === 'exr';
  const size = fitWithin(info, options.maxSize ?? { width: 1920, height: 1080 }, { even: true });
  const burnIns = hasBurnIns(options.burnIns) ? options.burnIns : undefined;
  const decoder = DECODERS[info.format];
  const needs: FfmpegNeeds = {
    encoders: ['libx264'],
    filters: ['scale', 'format', ...(burnIns ? ['drawtext'] : [])],
    decoders: info.kind === 'movie' ? [] : decoder ? [decoder] : [],
    exrDwa: info.kind !== 'movie' && (info.exr?.compression === 'dwaa' || info.exr?.compression === 'dwab'),
  };
  const ffmpeg = await resolveFfmpeg(needs);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'handoff-review-'));
  const partial = path.join(path.dirname(options.output), `.${path.basename(options.output, '.mp4')}.partial.mp4`);
  try {
    const filters: Filter[] = [
      { name: 'scale', options: { w: size.width, h: size.height, flags: 'bicubic', out_color_matrix: 'bt709', out_range: 'tv' } },
      { name: 'format', options: { pix_fmts: 'yuv420p' } },
    ];
    if (burnIns) {
      const startFrame = info.kind === 'sequence' ? info.frames.first : 1;
      filters.push(...(await burnInFilters(burnIns, { workDir, height: size.height, startFrame })));
    }
    const args = buildArgs({
      inputs: [inputOf(info, fps, linear)],
      filters,
      output: { path: partial, options: [...h264ReviewOptions({ crf: options.crf ?? 20, preset: options.preset ?? 'veryfast', gop: Math.round(fps) }), '-frames:v', String(expected)] },
      progress: true,
      exitOnError: true,
    });
    const result = await runFfmpeg(ffmpeg.path, args, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.({ frame: p.frame, totalFrames: expected, fraction: Math.min(1, p.frame / expected) }),
    });
    if (!result.ok) throw failed(result, options.input);
    const written = await verifyFrameCount(partial, expected, options.input);
    await rename(partial, options.output);
    return { path: options.output, width: written.width, height: written.height, frameCount: expected, fps, durationMs: result.durationMs, ffmpeg: ffmpeg.path };
  } finally {
    await rm(partial, { force: true });
    await rm(workDir, { recursive: true, force: true });
  }
}
