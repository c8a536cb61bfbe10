/**
 * The glue between commander and a command's code. Wrap an action with
 * `cliAction` and it receives a context with the parsed global flags, output
 * helpers and progress bars; errors it throws reach the central handler in
 * main.ts, which prints them and picks the exit code.
 *
 *   program.command('check [file]').action(cliAction(async (ctx, file?: string) => {
 *     ctx.result(await inspect(file), (report, style) => style.green('valid'));
 *   }));
 */
import type { Command } from 'commander';
import type { HandoffConfig } from '../core/config/index.ts';
import { createLogger, setDefaultLogLevel, type Logger } from '../core/log.ts';
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';
import { colourEnabled, createOutput, isDebug, type CliIo, type Output, type Style } from './output.ts';
import { createProgress, type Progress } from './progress.ts';

export interface CommandContext {
  /** The full command name, e.g. "config check". */
  readonly command: string;
  readonly json: boolean;
  readonly debug: boolean;
  readonly io: CliIo;
  readonly out: Output;
  readonly progress: Progress;
  readonly log: Logger;
  /** Aborted when the user interrupts (Ctrl-C); pass it to long work and stop cleanly. */
  readonly signal: AbortSignal;
  /** Prints the result (envelope with --json, human text otherwise). */
  result<T>(data: T, human?: (data: T, style: Style) => string): void;
  /** The file given with --config, if any. */
  readonly configFile: string | undefined;
  /** Loads the config (--config, else $HANDOFF_CONFIG, ./handoff.yaml, the shipped default). */
  loadConfig(): Promise<HandoffConfig>;
  /** The exit code when the action returns normally (default 0). */
  exitCode: ExitCodeValue;
  /**
   * For commands that serve until stopped (emulators, servers, agents): resolves
   * on the first Ctrl-C or SIGTERM, which then counts as a normal stop (exit 0).
   */
  untilStopped(): Promise<void>;
}

interface RunState {
  io: CliIo;
  /** The command whose action is running, for error envelopes. */
  command?: string;
  exitCode?: ExitCodeValue;
  /** The command serves until stopped, so an interrupt is its normal end. */
  stopsOnSignal?: boolean;
}

const runs = new WeakMap<Command, RunState>();

/** Ties a program to the io of one run; main.ts calls this. */
export function attachRun(program: Command, io: CliIo): RunState {
  const state: RunState = { io };
  runs.set(program, state);
  return state;
}

export function rootOf(command: Command): Command {
  let current = command;
  while (current.parent) current = current.parent;
  return current;
}

/** "config check" for the `check` subcommand of `config`. */
export function commandName(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

/** Global flags as parsed for this command. */
export function globalFlags(command: Command, env: NodeJS.ProcessEnv) {
  const opts = command.optsWithGlobals<{ json?: boolean; debug?: boolean; color?: boolean; config?: string }>();
  return { json: Boolean(opts.json), debug: isDebug(opts, env), color: opts.color !== false, config: opts.config };
}

export function cliAction<A extends unknown[]>(handler: (ctx: CommandContext, ...args: A) => unknown) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const state: RunState = runs.get(rootOf(command)) ?? { io: { stdout: process.stdout, stderr: process.stderr, env: process.env } };
    const flags = globalFlags(command, state.io.env);
    // Client libraries read it from the environment to show their own logs too.
    if (flags.debug && state.io.env === process.env) process.env['HANDOFF_DEBUG'] ||= '1';
    const { stderr, env } = state.io;
    const progress = createProgress({ stream: stderr, enabled: !flags.json, color: colourEnabled(stderr, env, flags.color) });
    // Notes and logs go through the progress block so live bars stay whole.
    const stderrAboveBars = { isTTY: stderr.isTTY, columns: stderr.columns, write: (text: string) => progress.print(text) };
    const out = createOutput({ ...state.io, stderr: stderrAboveBars }, flags);
    const name = commandName(command);
    state.command = name;
    const ctx: CommandContext = {
      command: name,
      json: flags.json,
      debug: flags.debug,
      io: state.io,
      out,
      signal: state.io.signal ?? new AbortController().signal,
      progress,
      log: createLogger(name.replace(/ /g, '.') || 'cli', {
        env,
        tty: stderr.isTTY === true,
        write: (line) => progress.print(line),
        ...(flags.debug ? { level: 'debug' as const } : {}),
      }),
      result: (data, human) => out.result(name, data, human),
      configFile: flags.config,
      loadConfig: async () => {
        // The config's schema is heavy to load; commands that need no config start without it.
        const { loadConfig } = await import('../core/config/index.ts');
        const config = await loadConfig(flags.config, { env: state.io.env });
        setDefaultLogLevel(config.log.level);
        return config;
      },
      exitCode: ExitCode.ok,
      untilStopped: () => {
        state.stopsOnSignal = true;
        const signal = ctx.signal;
        if (signal.aborted) return Promise.resolve();
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    };
    await handler(ctx, ...(args.slice(0, -1) as A));
    state.exitCode = ctx.exitCode;
  };
}
