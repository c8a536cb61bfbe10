/** Number formatting for people: sizes, rates, durations. */

const sizeSteps = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 1234567 → "1.2 MB" (decimal units, like disk vendors and network rates). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let step = 0;
  while (value >= 1000 && step < sizeSteps.length - 1) {
    value /= 1000;
    step++;
  }
  return `${step === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${sizeSteps[step]}`;
}

/** 65000 → "1m05s"; 3725000 → "1h02m"; 900 → "0.9s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m`;
  return m > 0 ? `${m}m${pad(s)}s` : `${s}s`;
}
