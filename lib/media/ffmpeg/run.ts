/**
 * Runs one ffmpeg command with execa and returns a typed result; progress
 * blocks from `-progress pipe:1` are parsed and handed to a callback.
 */
import { execa } from 'execa';

export interface FfmpegProgress {
  /** Frames written so far. */
  frame: number;
  /** Output timestamp in milliseconds. */
  outTimeMs: number;
  /** Encoding speed relative to real time, when ffmpeg reports it. */
  speed: number | undefined;
  done: boolean;
}

export interface FfmpegResult {
  ok: boolean;
  exitCode: number | undefined;
  stderr: string;
  durationMs: number;
  /** The last progress block, when progress was requested. */
  lastProgress: FfmpegProgress | undefined;
  /** Set when the run was cancelled or timed out. */
  interrupted: 'aborted' | 'timeout' | undefined;
}

export interface RunOptions {
  onProgress?: (progress: FfmpegProgress) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Folds `key=value` lines into progress blocks; a block ends at `progress=…`. */
export function createProgressParser(emit: (progress: FfmpegProgress) => void): (chunk: string) => void {
  let pending = '';
  let block: Record<string, string> = {};
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      block[key] = value;
      if (key !== 'progress') continue;
      const speed = Number.parseFloat(block.speed ?? '');
      emit({
        frame: Number.parseInt(block.frame ?? '0', 10) || 0,
        outTimeMs: Math.round((Number.parseInt(block.out_time_us ?? block.out_time_ms ?? '0', 10) || 0) / 1000),
        speed: Number.isFinite(speed) ? speed : undefined,
        done: value === 'end',
      });
      block = {};
    }
  };
}

export async function runFfmpeg(binary: string, args: readonly string[], options: RunOptions = {}): Promise<FfmpegResult> {
  const started = performance.now();
  let lastProgress: FfmpegProgress | undefined;
  const parse = createProgressParser((progress) => {
    lastProgress = progress;
    options.onProgress?.(progress);
  });
  const child = execa(binary, args, {
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    buffer: { stdout: false, stderr: true },
    maxBuffer: { stderr: 4_000_000 },
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => parse(chunk));
  const result = await child;
  const interrupted = result.isCanceled ? 'aborted' : result.timedOut ? 'timeout' : undefined;
  return {
    ok: result.exitCode === 0 && !interrupted,
    exitCode: result.exitCode,
    stderr: String(result.stderr ?? '').trim(),
    durationMs: Math.round(performance.now() - started),
    lastProgress,
    interrupted,
  };
}
