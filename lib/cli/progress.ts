/**
 * Progress for long work. On a terminal, live bars (several at once, redrawn
 * in place on stderr); elsewhere, a plain line per bar every `interval` and
 * one when it ends, so logs stay readable. Redraws are driven by updates,
 * never by timers, so a forgotten bar cannot keep the process alive.
 *
 *   const bar = progress.start({ label: 'scd_0010_0010_cleanup_v001', total: bytes, unit: 'bytes' });
 *   bar.update(sent);
 *   bar.done();
 */
import pc from 'picocolors';
import { formatBytes, formatDuration } from './format.ts';

export interface ProgressOptions {
  label: string;
  /** Unknown totals show a count and a rate only. */
  total?: number;
  unit?: 'count' | 'bytes';
}

export interface ProgressBar {
  /** Sets how much is done (not an increment). */
  update(current: number, label?: string): void;
  increment(by?: number): void;
  done(message?: string): void;
  fail(message?: string): void;
}

export interface Progress {
  start(options: ProgressOptions): ProgressBar;
  /** Writes text (a log line, a note) above the live bars, so they are not torn apart. */
  print(text: string): void;
}

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressSettings {
  stream?: ProgressSink;
  /** Live bars; defaults to whether the stream is a terminal. */
  tty?: boolean;
  /** False draws nothing at all (e.g. with --json). */
  enabled?: boolean;
  color?: boolean;
  now?: () => number;
  /** Milliseconds between plain lines for one bar. */
  interval?: number;
  /** Milliseconds between terminal redraws. */
  redraw?: number;
}

interface BarState extends Required<Omit<ProgressOptions, 'total'>> {
  total: number | undefined;
  current: number;
  started: number;
  lastPlain: number;
}

export function createProgress(settings: ProgressSettings = {}): Progress {
  const stream = settings.stream ?? process.stderr;
  const now = settings.now ?? (() => performance.now());
  const interval = settings.interval ?? 10_000;
  const live = bars(stream, settings, now);

  return {
    print(text) {
      const lines = text.replace(/\n$/, '');
      if (!live.print(lines)) stream.write(`${lines}\n`);
    },
    start(options) {
      const state: BarState = { unit: 'count', ...options, total: options.total, current: 0, started: now(), lastPlain: now() };
      if (settings.enabled === false) return idle;
      const tty = settings.tty ?? Boolean(stream.isTTY);
      if (tty) return live.add(state);
      stream.write(`${state.label}: started${state.total !== undefined ? ` (${amount(state.total, state.unit)})` : ''}\n`);
      const finish = (word: string, message?: string) => {
        stream.write(`${state.label}: ${word} ${describe(state, now())}${message ? ` - ${message}` : ''}\n`);
      };
      let finished = false;
      const bar: ProgressBar = {
        update(current, label) {
          state.current = current;
          if (label) state.label = label;
          if (finished || now() - state.lastPlain < interval) return;
          state.lastPlain = now();
          stream.write(`${state.label}: ${describe(state, now())}\n`);
        },
        increment: (by = 1) => bar.update(state.current + by),
        done: (message) => void (finished || ((finished = true), finish('done', message))),
        fail: (message) => void (finished || ((finished = true), finish('failed', message))),
      };
      return bar;
    },
  };
}

/** The bars of one terminal: a block of lines redrawn in place; finished bars stay above it. */
function bars(stream: ProgressSink, settings: ProgressSettings, now: () => number) {
  const active: BarState[] = [];
  let drawn = 0;
  let lastDraw = -Infinity;
  const color = settings.color ?? (stream.isTTY === true && !process.env.NO_COLOR);
  const redrawEvery = settings.redraw ?? 100;

  const draw = (committed: string[] = []) => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    const lines = [...committed, ...active.map((state) => line(state, now(), width, color))];
    stream.write(`${drawn > 0 ? `\x1b[${drawn}A\r\x1b[0J` : ''}${lines.map((l) => `${l}\n`).join('')}`);
    drawn = active.length;
    lastDraw = now();
  };

  return {
    /** Draws `text` above the bars when any are live; false when there are none. */
    print(text: string): boolean {
      if (active.length === 0) return false;
      draw(text.split('\n'));
      return true;
    },
    add(state: BarState): ProgressBar {
      active.push(state);
      draw();
      const finish = (word: string, message?: string) => {
        const index = active.indexOf(state);
        if (index < 0) return;
        active.splice(index, 1);
        const mark = word === 'done' ? (color ? pc.green('✔') : '✔') : color ? pc.red('✖') : '✖';
        draw([`${mark} ${state.label}: ${word} ${describe(state, now())}${message ? ` - ${message}` : ''}`]);
      };
      const bar: ProgressBar = {
        update(current, label) {
          state.current = current;
          if (label) state.label = label;
          if (active.includes(state) && now() - lastDraw >= redrawEvery) draw();
        },
        increment: (by = 1) => bar.update(state.current + by),
        done: (message) => finish('done', message),
        fail: (message) => finish('failed', message),
      };
      return bar;
    },
  };
}

const idle: ProgressBar = { update() {}, increment() {}, done() {}, fail() {} };

function amount(value: number, unit: BarState['unit']): string {
  return unit === 'bytes' ? formatBytes(value) : String(value);
}

function rate(state: BarState, at: number): number {
  const seconds = (at - state.started) / 1000;
  return seconds > 0 ? state.current / seconds : 0;
}

/** "42% 420/1000 12.3 MB/s ETA 1m05s" (or "420 files 3.1/s" without a total). */
function describe(state: BarState, at: number): string {
  const speed = rate(state, at);
  const perSecond = state.unit === 'bytes' ? `${formatBytes(speed)}/s` : `${speed.toFixed(1)}/s`;
  if (state.total === undefined) return `${amount(state.current, state.unit)} ${perSecond}`;
  const percent = state.total > 0 ? Math.min(100, Math.floor((state.current / state.total) * 100)) : 100;
  const eta = speed > 0 && state.current < state.total ? ` ETA ${formatDuration(((state.total - state.current) / speed) * 1000)}` : '';
  return `${percent}% ${amount(state.current, state.unit)}/${amount(state.total, state.unit)} ${perSecond}${eta}`;
}

function line(state: BarState, at: number, width: number, color: boolean): string {
  const text = describe(state, at);
  const barWidth = Math.max(10, Math.min(30, width - text.length - 24));
  const fraction = state.total ? Math.min(1, state.current / state.total) : 0;
  const filled = Math.round(fraction * barWidth);
  const bar = state.total === undefined ? '' : `${color ? pc.cyan('█'.repeat(filled)) : '█'.repeat(filled)}${'░'.repeat(barWidth - filled)} `;
  const room = Math.max(8, width - text.length - barWidth - 3);
  const label = state.label.length > room ? `…${state.label.slice(-(room - 1))}` : state.label.padEnd(Math.min(room, 24));
  return `${label} ${bar}${text}`;
}

let shared: Progress | undefined;

/** Progress on this process's stderr, one shared block of bars, for code that runs outside a command. */
export const progress: Progress = {
  start: (options) => (shared ??= createProgress()).start(options),
  print: (text) => (shared ??= createProgress()).print(text),
};
