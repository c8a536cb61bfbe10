/**
 * Logging for every part of handoff. `createLogger('transfer')` writes to
 * stderr: one JSON object per line when stderr is not a terminal (for log
 * collectors), readable coloured lines when it is. HANDOFF_LOG_LEVEL (debug,
 * info, warn, error, silent; else the config's log.level, else info) and
 * HANDOFF_LOG_FORMAT (json, pretty) override; NO_COLOR turns colour off. Secrets in fields are always redacted.
 */
import pc from 'picocolors';
import { redactSecrets } from './redact.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly name: string;
  readonly level: LogLevel;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
  /** A logger named `<name>.<suffix>` that adds `fields` to every line. */
  child(suffix: string, fields?: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  color?: boolean;
  /** Receives each finished line, without the newline. Defaults to stderr. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Fields added to every line. */
  fields?: LogFields;
  env?: NodeJS.ProcessEnv;
  /** Whether the destination is a terminal; defaults to stderr's. */
  tty?: boolean;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const paint: Record<Exclude<LogLevel, 'silent'>, (text: string) => string> = {
  debug: pc.gray,
  info: pc.cyan,
  warn: pc.yellow,
  error: pc.red,
};

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const tty = options.tty ?? Boolean(process.stderr.isTTY);
  // Read on each call, so a config loaded after the logger was made still applies.
  const level = () => options.level ?? levelFrom(env.HANDOFF_LOG_LEVEL);
  const format = options.format ?? (env.HANDOFF_LOG_FORMAT === 'json' || env.HANDOFF_LOG_FORMAT === 'pretty' ? env.HANDOFF_LOG_FORMAT : tty ? 'pretty' : 'json');
  const color = options.color ?? (tty && !env.NO_COLOR);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};

  const log = (at: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields = {}) => {
    if (rank[at] < rank[level()]) return;
    const safe = redactSecrets({ ...base, ...fields });
    write(format === 'json' ? jsonLine(now(), at, name, message, safe) : prettyLine(now(), at, name, message, safe, color));
  };

  return {
    name,
    get level() {
      return level();
    },
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    isEnabled: (at) => rank[at] >= rank[level()],
    child: (suffix, fields = {}) => createLogger(`${name}.${suffix}`, { ...(options.level ? { level: options.level } : {}), format, color, write, now, env, tty, fields: { ...base, ...fields } }),
  };
}

let configuredLevel: LogLevel = 'info';

/** Sets the level loggers use when HANDOFF_LOG_LEVEL is unset (the config's `log.level`). */
export function setDefaultLogLevel(level: LogLevel): void {
  configuredLevel = level;
}

function levelFrom(text: string | undefined): LogLevel {
  const wanted = text?.trim().toLowerCase();
  return LOG_LEVELS.find((l) => l === wanted) ?? configuredLevel;
}

function jsonLine(time: Date, level: string, name: string, msg: string, fields: LogFields): string {
  return JSON.stringify({ ...fields, time: time.toISOString(), level, name, msg });
}

function prettyLine(time: Date, level: Exclude<LogLevel, 'silent'>, name: string, msg: string, fields: LogFields, color: boolean): string {
  const style = (fn: (t: string) => string, text: string) => (color ? fn(text) : text);
  const extras = Object.entries(fields).map(([key, value]) => `${style(pc.dim, `${key}=`)}${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
  return [style(pc.dim, time.toISOString().slice(11, 23)), style(paint[level], level.toUpperCase().padEnd(5)), style(pc.bold, name), msg, ...extras].join(' ');
}
