/**
 * Video stream facts of movies (and anything else ffmpeg reads): ffprobe JSON
 * when an ffprobe is installed, otherwise parsed from `ffmpeg -i` output.
 */
import { execa } from 'execa';
import { HandoffError } from '../../core/errors.ts';
import { resolveFfmpeg, resolveFfprobe } from '../ffmpeg/index.ts';

export interface ColourTags {
  primaries?: string | undefined;
  transfer?: string | undefined;
  matrix?: string | undefined;
  range?: string | undefined;
}

export interface StreamInfo {
  codec: string;
  width: number;
  height: number;
  pixelFormat: string;
  fps: number | undefined;
  durationSeconds: number | undefined;
  /** Frames in the stream: counted by decoding when asked, else from the container. */
  frameCount: number | undefined;
  colour: ColourTags;
}

function rate(text: string | undefined): number | undefined {
  const [num, den] = (text ?? '').split('/').map(Number);
  if (!num || !den) return undefined;
  return Math.round((num / den) * 1000) / 1000;
}

const known = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== 'unknown' && value !== '' ? value : undefined;

async function viaFfprobe(ffprobe: string, file: string, countFrames: boolean): Promise<StreamInfo> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-of', 'json', '-show_entries',
    'stream=codec_name,width,height,pix_fmt,color_space,color_primaries,color_transfer,color_range,nb_frames,nb_read_frames,avg_frame_rate,r_frame_rate,duration:format=duration'];
  if (countFrames) args.push('-count_frames');
  const result = await execa(ffprobe, [...args, file], { reject: false, timeout: 120_000, stdin: 'ignore' });
  const parsed = JSON.parse(String(result.stdout || '{}')) as { streams?: Record<string, unknown>[]; format?: { duration?: string } };
  const stream = parsed.streams?.[0];
  if (result.exitCode !== 0 || !stream) throw unreadable(file, String(result.stderr));
  const count = Number(countFrames ? stream.nb_read_frames : stream.nb_frames);
  const duration = Number(stream.duration ?? parsed.format?.duration);
  return {
    codec: String(stream.codec_name),
    width: Number(stream.width),
    height: Number(stream.height),
    pixelFormat: String(stream.pix_fmt),
    fps: rate(known(stream.avg_frame_rate) ?? known(stream.r_frame_rate)),
    durationSeconds: Number.isFinite(duration) ? duration : undefined,
    frameCount: Number.isFinite(count) && count > 0 ? count : undefined,
    colour: {
      primaries: known(stream.color_primaries),
      transfer: known(stream.color_transfer),
      matrix: known(stream.color_space),
      range: known(stream.color_range),
    },
  };
}

/** Parses the first `Stream #…: Video:` line of `ffmpeg -i` output. */
export function parseFfmpegStreamLine(stderr: string): Omit<StreamInfo, 'frameCount' | 'durationSeconds'> | undefined {
  const line = stderr.split('\n').find((l) => /Stream #\d+:\d+.*: Video: /.test(l));
  if (!line) return undefined;
  const video = line.slice(line.indexOf('Video: ') + 7);
  const codec = /^(\w+)/.exec(video)?.[1] ?? 'unknown';
  const pix = /,\s*([a-z0-9_]+)(?:\(([^)]*)\))?,\s*\d+x\d+/.exec(video);
  const size = /,\s*(\d+)x(\d+)/.exec(video);
  const tags = (pix?.[2] ?? '').split(',').map((t) => t.trim());
  const range = tags.find((t) => t === 'tv' || t === 'pc');
  const colours = tags.filter((t) => t !== range && t !== 'progressive' && !/^(top|bottom)/.test(t));
  const [matrix, primaries = matrix, transfer = matrix] = (colours[0] ?? '').split('/').map((t) => t || undefined);
  return {
    codec,
    width: Number(size?.[1] ?? 0),
    height: Number(size?.[2] ?? 0),
    pixelFormat: pix?.[1] ?? 'unknown',
    fps: Number(/([\d.]+) fps/.exec(video)?.[1]) || undefined,
    colour: { matrix, primaries, transfer, range: range === 'tv' ? 'tv' : range === 'pc' ? 'pc' : undefined },
  };
}

/** The fallback when no ffprobe is installed: `ffmpeg -i` (and a copy pass to count frames). */
export async function probeStreamWithFfmpeg(file: string, countFrames: boolean): Promise<StreamInfo> {
  const { path: ffmpeg } = await resolveFfmpeg();
  const args = ['-hide_banner', '-nostdin', '-i', file];
  if (countFrames) args.push('-map', '0:v:0', '-c', 'copy', '-f', 'null', '-');
  const result = await execa(ffmpeg, args, { reject: false, timeout: 120_000, stdin: 'ignore' });
  const stderr = String(result.stderr);
  const stream = parseFfmpegStreamLine(stderr);
  if (!stream) throw unreadable(file, stderr);
  const frames = [...stderr.matchAll(/frame=\s*(\d+)/g)].pop()?.[1];
  const time = /Duration: (\d+):(\d+):([\d.]+)/.exec(stderr);
  return {
    ...stream,
    frameCount: frames ? Number(frames) : undefined,
    durationSeconds: time ? Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]) : undefined,
  };
}

function unreadable(file: string, stderr: string): HandoffError {
  return new HandoffError('MEDIA_UNREADABLE', `ffmpeg cannot read a video stream from ${file}.`, {
    hint: 'Check that the file is a complete image or movie in a format ffmpeg decodes.',
    details: { path: file, stderr: stderr.slice(-2000) },
  });
}

/** Stream facts of `file`; `countFrames` decodes packets to count frames exactly. */
export async function probeStream(file: string, options: { countFrames?: boolean } = {}): Promise<StreamInfo> {
  const ffprobe = await resolveFfprobe();
  return ffprobe ? viaFfprobe(ffprobe, file, options.countFrames ?? false) : probeStreamWithFfmpeg(file, options.countFrames ?? false);
}
