/**
 * Minimal output for the transfer commands: a progress bar that redraws one
 * line in a terminal (and prints sparse lines otherwise), plus number formats.
 * Kept small and separate so a shared CLI output module can replace it.
 */
import type { Job } from '../../transfer/types.ts';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  for (; value >= 1024 && unit < units.length - 1; unit++) value /= 1024;
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export function progressLine(job: Job): string {
  const p = job.progress;
  return `${bar(p.fraction)} ${(p.fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)} ${p.filesDone}/${p.filesTotal} files ${formatBytes(p.speed)}/s ETA ${formatDuration(p.eta)} ${job.status}`;
}

export interface ProgressView {
  update(job: Job): void;
  done(): void;
}

/** Redraws in place on a TTY; elsewhere prints a line per 10% step. */
export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  let lastStep = -1;
  let drawn = false;
  return {
    update(job) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${job.name}: ${progressLine(job)}`);
        drawn = true;
        return;
      }
      const step = Math.floor(job.progress.fraction * 10);
      if (step !== lastStep) {
        lastStep = step;
        stream.write(`${job.name}: ${progressLine(job)}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
