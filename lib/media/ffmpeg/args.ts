/**
 * A small typed builder for the few ffmpeg command shapes handoff runs:
 * inputs (with their decoder options), one video filter chain, one output.
 * It produces an argv array; nothing ever goes through a shell.
 */

export type FilterValue = string | number | boolean;

/** One filter of a chain: `scale=w=64:h=36`. Values are escaped for the filtergraph. */
export interface Filter {
  name: string;
  options?: Record<string, FilterValue | undefined>;
}

export interface FfmpegInput {
  path: string;
  /** Forced demuxer, e.g. `lavfi` for generated test sources. */
  format?: string;
  /** Image sequence input: printf pattern path plus first frame number and rate. */
  sequence?: { startNumber: number; frameRate: number };
  /** Seek before decoding (fast input seek), in seconds. */
  seekSeconds?: number;
  /** EXR decoder transfer characteristic applied on decode, e.g. `iec61966_2_1` (sRGB). */
  applyTrc?: string;
}

export interface FfmpegJob {
  inputs: FfmpegInput[];
  filters?: Filter[];
  output: { path: string; options: string[] };
  /** Report progress as key=value blocks on stdout. */
  progress?: boolean;
  /** Exit with an error on the first decode error instead of carrying on. */
  exitOnError?: boolean;
}

/** Escapes a value for a filter option and then for the filtergraph around it. */
export function escapeFilterValue(value: FilterValue): string {
  const text = String(value);
  const optionLevel = text.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

export function renderFilter(filter: Filter): string {
  const options = Object.entries(filter.options ?? {})
    .filter((entry): entry is [string, FilterValue] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeFilterValue(value)}`);
  return options.length ? `${filter.name}=${options.join(':')}` : filter.name;
}

export function renderFilterChain(filters: readonly Filter[]): string {
  return filters.map(renderFilter).join(',');
}

function inputArgs(input: FfmpegInput): string[] {
  const args: string[] = [];
  if (input.applyTrc) args.push('-apply_trc', input.applyTrc);
  if (input.seekSeconds !== undefined) args.push('-ss', input.seekSeconds.toFixed(3));
  const format = input.format ?? (input.sequence ? 'image2' : undefined);
  if (format) args.push('-f', format);
  if (input.sequence) {
    args.push('-framerate', String(input.sequence.frameRate));
    args.push('-start_number', String(input.sequence.startNumber));
  }
  args.push('-i', input.path);
  return args;
}

export function buildArgs(job: FfmpegJob): string[] {
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  if (job.exitOnError) args.push('-xerror');
  if (job.progress) args.push('-progress', 'pipe:1', '-nostats');
  for (const input of job.inputs) args.push(...inputArgs(input));
  if (job.filters?.length) args.push('-vf', renderFilterChain(job.filters));
  args.push(...job.output.options, job.output.path);
  return args;
}

/** H.264 review settings every tracker's web player accepts (BT.709, yuv420p, faststart). */
export function h264ReviewOptions(settings: { crf: number; preset: string; gop: number }): string[] {
  return [
    '-an',
    '-c:v', 'libx264',
    '-preset', settings.preset,
    '-crf', String(settings.crf),
    '-profile:v', 'high',
    '-g', String(settings.gop),
    '-bf', '0',
    '-pix_fmt', 'yuv420p',
    '-colorspace', 'bt709',
    '-color_primaries', 'bt709',
    '-color_trc', 'bt709',
    '-color_range', 'tv',
    '-movflags', '+faststart',
  ];
}
