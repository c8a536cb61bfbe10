/**
 * How commands talk to people and scripts. Human text goes to stdout (results)
 * and stderr (errors, notes), coloured only on a terminal and never with
 * NO_COLOR. With --json, stdout carries exactly one envelope per command:
 *
 *   {"ok":true,"command":"config check","data":{...}}
 *   {"ok":false,"command":"config check","error":{"code":"...","message":"...","hint":"...","details":{...}}}
 */
import { createColors } from 'picocolors';
import { HandoffError, isHandoffError } from '../core/errors.ts';
import { redactSecrets, redactText } from '../core/redact.ts';
import { exitCodeFor, type ExitCodeValue } from './exit-codes.ts';

export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Where a CLI run reads and writes; tests pass their own. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM; commands pass it to long work. */
  signal?: AbortSignal;
}

export interface OutputFlags {
  json: boolean;
  debug: boolean;
  /** False with --no-color. */
  color: boolean;
}

export type Style = ReturnType<typeof createColors>;

export type JsonEnvelope<T = unknown> =
  | { ok: true; command: string; data: T }
  | { ok: false; command: string; error: { code: string; message: string; retryable: boolean; hint?: string; details?: Record<string, unknown> } };

export interface Output {
  readonly json: boolean;
  readonly debug: boolean;
  /** Colours for stdout text (no-ops when colour is off). */
  readonly style: Style;
  /** Colours for notes on stderr. */
  readonly noteStyle: Style;
  /** Prints a command's result: the envelope with --json, else `human(data)` if given. Redact secrets first (redactSecrets). */
  result<T>(command: string, data: T, human?: (data: T, style: Style) => string): void;
  /** A note for people on stderr (not printed with --json). */
  note(text: string): void;
  /** Prints an error (envelope or "error CODE: message" with hint) and returns the exit code. */
  error(command: string, err: unknown): ExitCodeValue;
}

export function colourEnabled(sink: TextSink, env: NodeJS.ProcessEnv, flag = true): boolean {
  return flag && sink.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function isDebug(flags: { debug?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(flags.debug) || (env.HANDOFF_DEBUG !== undefined && env.HANDOFF_DEBUG !== '' && env.HANDOFF_DEBUG !== '0');
}

export function createOutput(io: CliIo, flags: OutputFlags): Output {
  const style = createColors(!flags.json && colourEnabled(io.stdout, io.env, flags.color));
  const errStyle = createColors(!flags.json && colourEnabled(io.stderr, io.env, flags.color));
  const line = (sink: TextSink, text: string) => sink.write(text.endsWith('\n') ? text : `${text}\n`);

  return {
    json: flags.json,
    debug: flags.debug,
    style,
    noteStyle: errStyle,
    result(command, data, human) {
      if (flags.json) line(io.stdout, JSON.stringify({ ok: true, command, data } satisfies JsonEnvelope));
      else if (human) line(io.stdout, human(data, style));
    },
    note(text) {
      if (!flags.json) line(io.stderr, text);
    },
    error(command, err) {
      const failure = isHandoffError(err) ? err : toInternal(err);
      if (flags.json) {
        const { code, retryable, hint, details } = failure;
        const message = redactText(failure.message);
        const extra = flags.debug ? { stack: redactText(stackOf(err)), ...details } : details;
        const error = { code, message, retryable, ...(hint ? { hint } : {}), ...(Object.keys(extra).length ? { details: redactSecrets(extra) } : {}) };
        line(io.stdout, JSON.stringify({ ok: false, command, error } satisfies JsonEnvelope));
      } else {
        line(io.stderr, `${errStyle.red(errStyle.bold(`error ${failure.code}`))}: ${redactText(failure.message)}`);
        if (failure.hint) line(io.stderr, `${errStyle.yellow('hint')}: ${failure.hint}`);
        if (flags.debug) line(io.stderr, errStyle.dim(redactText(stackOf(err))));
        else if (!isHandoffError(err)) line(io.stderr, errStyle.dim('Run again with --debug (or HANDOFF_DEBUG=1) for the stack trace.'));
      }
      return exitCodeFor(err);
    },
  };
}

/** System errors a person can act on get their own code; anything else is a bug in handoff. */
function toInternal(err: unknown): HandoffError {
  const sys = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (sys?.syscall === 'listen' && (sys.code === 'EADDRINUSE' || sys.code === 'EACCES')) {
    const where = `${sys.address ?? ''}:${sys.port ?? ''}`;
    const inUse = sys.code === 'EADDRINUSE';
    return new HandoffError(inUse ? 'PORT_IN_USE' : 'PORT_ACCESS_DENIED', inUse ? `Port ${where} is already in use` : `This user may not listen on ${where}`, {
      cause: err,
      retryable: inUse,
      details: { address: sys.address, port: sys.port },
      hint: inUse
        ? 'Stop what uses it (another handoff?), or choose another port in the config or with --port.'
        : 'Use a port above 1023, or give this user the right to bind low ports.',
    });
  }
  const missing = sys?.code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find package '([^']+)'/.exec(sys.message)?.[1] : undefined;
  if (missing) {
    // better-sqlite3 is optional: an agent-only install (--omit=optional) leaves it out.
    return new HandoffError('DEPENDENCY_MISSING', `This command needs the package ${missing}, which is not installed`, {
      cause: err,
      details: { package: missing },
      hint: `Install it where handoff is installed: npm install ${missing} (a vendor agent never needs better-sqlite3; HQ does).`,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new HandoffError('INTERNAL', message, { cause: err, hint: 'This is a bug in handoff: re-run with --debug and report the output.' });
}

function stackOf(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
