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
import type { FfmpegInput, FfmpegResult, Filter } from './ffmpeg/index.ts';
import { framePath, parseSequencePattern, printfPattern } from './frames.ts';
import { fitWithin } from './geometry.ts';
import type { Size } from './geometry.ts';
import { mp4VideoFrameCount, probeMedia, probeStream, readExrHeader } from './probe/index.ts';
import type { MediaInfo } from './probe/index.ts';

export interface ReviewProgress {
  frame: number;
  totalFrames: number;
  /** 0..1 */
  fraction: number;
}

export interface ReviewMovieOptions {
  /** A frame pattern (`plate.####.exr`, `plate.%04d.exr`) or a movie file. */
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

/** EXR frames whose file ends early or whose header is unreadable (ffmpeg would decode them silently). */
async function damagedExrFrames(info: Extract<MediaInfo, { kind: 'sequence' }>): Promise<number[]> {
  const pattern = parseSequencePattern(info.pattern);
  const damaged: number[] = [];
  for (const frame of info.frames.present) {
    const complete = await readExrHeader(framePath(pattern, frame)).then((h) => h.complete !== false, () => false);
    if (!complete) damaged.push(frame);
  }
  return damaged;
}

async function refuseIncomplete(info: MediaInfo): Promise<void> {
  if (info.kind !== 'sequence') return;
  const { missing, empty, first, last } = info.frames;
  if (missing.length || empty.length) {
    throw new HandoffError('MEDIA_FRAMES_MISSING', `${info.pattern} is incomplete in ${first}-${last}: ${missing.length} missing, ${empty.length} empty.`, {
      hint: 'Deliver the missing frames, or encode the range that is complete.',
      details: { pattern: info.pattern, missing: missing.slice(0, 100), empty: empty.slice(0, 100) },
    });
  }
  const damaged = info.format === 'exr' ? await damagedExrFrames(info) : [];
  if (damaged.length) {
    throw new HandoffError('MEDIA_UNREADABLE', `${damaged.length} frame(s) of ${info.pattern} are truncated or damaged: ${damaged.slice(0, 20).join(', ')}.`, {
      hint: 'Copy or render those frames again; each file ends before its last scanline block.',
      details: { pattern: info.pattern, damaged: damaged.slice(0, 100) },
    });
  }
}

function inputOf(info: MediaInfo, fps: number, linear: boolean): FfmpegInput {
  if (info.kind === 'sequence') {
    return { path: printfPattern(parseSequencePattern(info.pattern)), sequence: { startNumber: info.frames.first, frameRate: fps }, ...(linear ? { applyTrc: 'iec61966_2_1' } : {}) };
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

/**
 * Counts the frames of an encoded movie (from its MP4 sample table, else with
 * ffprobe); a count other than `expected` is an error.
 */
export async function verifyFrameCount(movie: string, expected: number, source: string): Promise<number> {
  const written = (await mp4VideoFrameCount(movie)) ?? (await probeStream(movie, { countFrames: true })).frameCount;
  if (written !== expected) {
    throw new HandoffError('MEDIA_FRAME_COUNT_MISMATCH', `The review movie has ${written ?? 0} frames; ${source} has ${expected}.`, {
      hint: 'A frame could not be decoded or went missing during encoding; check the source frames and encode again.',
      details: { input: source, movie, expected, written },
    });
  }
  return written;
}

/** A review encode ready to run: the exact ffmpeg command and what to expect from it. */
export interface ReviewJob {
  ffmpeg: string;
  args: string[];
  expected: number;
  fps: number;
  size: Size;
  /** Where ffmpeg writes; renamed to the output once verified. */
  partial: string;
  /** Holds burn-in text files; remove it when done. */
  workDir: string;
}

async function probeInput(options: ReviewMovieOptions): Promise<MediaInfo> {
  const range = options.range ? { range: options.range } : {};
  const info = await probeMedia(options.input, range);
  // Containers usually state their frame count; decode to count only when one does not.
  return info.frameCount ? info : probeMedia(options.input, { ...range, countFrames: true });
}

/** Probes and checks the input, picks an ffmpeg, and builds the command. */
export async function planReviewMovie(options: ReviewMovieOptions): Promise<ReviewJob> {
  const info = await probeInput(options);
  await refuseIncomplete(info);
  const expected = info.frameCount;
  if (!expected) throw new HandoffError('MEDIA_UNREADABLE', `${options.input} has no video frames.`, { details: { input: options.input } });
  const fps = info.kind === 'movie' ? (info.fps ?? 24) : (options.fps ?? 24);
  const size = fitWithin(info, options.maxSize ?? { width: 1920, height: 1080 }, { even: true });
  const burnIns = hasBurnIns(options.burnIns) ? options.burnIns : undefined;
  const decoder = DECODERS[info.format];
  const ffmpeg = await resolveFfmpeg({
    encoders: ['libx264'],
    filters: ['scale', 'format', ...(burnIns ? ['drawtext'] : [])],
    decoders: info.kind !== 'movie' && decoder ? [decoder] : [],
    exrDwa: info.kind !== 'movie' && (info.exr?.compression === 'dwaa' || info.exr?.compression === 'dwab'),
  });
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'handoff-review-'));
  const partial = path.join(path.dirname(options.output), `.${path.basename(options.output, '.mp4')}.partial.mp4`);
  const filters: Filter[] = [
    { name: 'scale', options: { w: size.width, h: size.height, flags: 'bicubic', out_color_matrix: 'bt709', out_range: 'tv' } },
    { name: 'format', options: { pix_fmts: 'yuv420p' } },
  ];
  if (burnIns) {
    const startFrame = info.kind === 'sequence' ? info.frames.first : 1;
    filters.push(...(await burnInFilters(burnIns, { workDir, height: size.height, startFrame })));
  }
  const h264 = h264ReviewOptions({ crf: options.crf ?? 20, preset: options.preset ?? 'veryfast', gop: Math.round(fps) });
  const args = buildArgs({
    inputs: [inputOf(info, fps, options.linear ?? info.format === 'exr')],
    filters,
    output: { path: partial, options: [...h264, '-frames:v', String(expected)] },
    progress: true,
    exitOnError: true,
  });
  return { ffmpeg: ffmpeg.path, args, expected, fps, size, partial, workDir };
}

export async function makeReviewMovie(options: ReviewMovieOptions): Promise<ReviewMovie> {
  const job = await planReviewMovie(options);
  const { expected, partial } = job;
  try {
    const result = await runFfmpeg(job.ffmpeg, job.args, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.({ frame: p.frame, totalFrames: expected, fraction: Math.min(1, p.frame / expected) }),
    });
    if (!result.ok) throw failed(result, options.input);
    await verifyFrameCount(partial, expected, options.input);
    await rename(partial, options.output);
    return { path: options.output, width: job.size.width, height: job.size.height, frameCount: expected, fps: job.fps, durationMs: result.durationMs, ffmpeg: job.ffmpeg };
  } finally {
    await rm(partial, { force: true });
    await rm(job.workDir, { recursive: true, force: true });
  }
}
