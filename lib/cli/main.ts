import { Command, CommanderError } from 'commander';
import { HandoffError, isHandoffError } from '../core/errors.ts';
import { attachRun } from './action.ts';
import { catalogue, commands } from './commands/index.ts';
import { ExitCode } from './exit-codes.ts';
import { createOutput, isDebug, type CliIo } from './output.ts';

const examples = `
Examples:
  $ handoff config check                       validate the config in use and print it resolved
  $ handoff config check studio.yaml --json    the same for a given file, as one JSON envelope
  $ handoff config init                        write a commented starter ./handoff.yaml to edit
  $ handoff config path                        which config file applies, and why
  $ HANDOFF_CONFIG=/pipe/handoff.yaml handoff config check

Config file: --config FILE, else $HANDOFF_CONFIG, else ./handoff.yaml, else the shipped
config/default.yaml. Environment: HANDOFF_LOG_LEVEL=debug|info|warn|error|silent,
HANDOFF_DEBUG=1 (stack traces), NO_COLOR=1. Exit codes and --json shapes: docs/cli.md.`;

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Builds the `handoff` program with every registered subcommand, writing to `io`. */
export function buildProgram(io: CliIo = processIo(), json = false): Command {
  const program = new Command('handoff')
    .description('Production outsourcing for VFX and animation studios')
    .version('0.1.0')
    .option('-c, --config <file>', 'config file to use (default: $HANDOFF_CONFIG, ./handoff.yaml, the shipped default)')
    .option('--json', 'print one JSON envelope on stdout, for scripts')
    .option('--debug', 'show stack traces and debug logs (also HANDOFF_DEBUG=1)')
    .option('--no-color', 'plain text without colour (also NO_COLOR=1)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: true })
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => {
        if (!json) write(text);
      },
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
    })
    .showHelpAfterError(json ? false : '(add --help for usage and examples)')
    .exitOverride()
    .addHelpText('after', examples);
  // Stand-ins that only name each command for the help; the real one is loaded when it runs.
  for (const entry of catalogue) program.command(entry.name).description(entry.summary).helpOption(false).allowUnknownOption().allowExcessArguments();
  for (const register of commands) register(program);
  return program;
}

/** Global options that take a value, so the value is not taken for the command name. */
const VALUE_OPTIONS = new Set(['-c', '--config']);

/** The command named in `argv` (also after `help`), or undefined for the program's own help or version. */
export function requestedCommand(argv: string[]): string | undefined {
  const words = argv.slice(2);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (VALUE_OPTIONS.has(word)) i++;
    else if (word === 'help') return words[i + 1];
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

/** Replaces the stand-in of the command `argv` names with the real one, loading its code. */
async function loadRequested(program: Command, argv: string[]): Promise<void> {
  const name = requestedCommand(argv);
  const entry = catalogue.find((e) => e.name === name);
  if (!entry) return;
  const list = program.commands as Command[];
  const stand = list.findIndex((c) => c.name() === entry.name);
  if (stand < 0) return;
  list.splice(stand, 1);
  const { register } = await entry.load();
  register(program);
}

/** Runs the CLI and returns the process exit code (docs/cli.md). Without `io`, it uses this process. */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const json = argv.slice(2).includes('--json');
  if (io) return runProgram(buildProgram(io, json), argv, io, json);
  const interrupts = watchInterrupts();
  const own = { ...processIo(), signal: interrupts.signal };
  try {
    return await runProgram(buildProgram(own, json), argv, own, json);
  } finally {
    interrupts.dispose();
  }
}

/** Parses `argv` with `program` (from buildProgram) and handles every error centrally. */
export async function runProgram(program: Command, argv: string[], io: CliIo, json: boolean): Promise<number> {
  const run = attachRun(program, io);
  try {
    await loadRequested(program, argv);
    await program.parseAsync(argv);
    if (io.signal?.aborted && !run.stopsOnSignal) throw interrupted(io.signal.reason);
    return run.exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok);
  } catch (err) {
    const opts = program.opts<{ debug?: boolean; color?: boolean }>();
    const output = createOutput(io, { json, debug: isDebug(opts, io.env), color: opts.color !== false });
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
      if (!json) return ExitCode.usage;
      const message = err.code === 'commander.help' ? 'A subcommand is required' : err.message.replace(/^error: /, '');
      output.error(run.command ?? '', new HandoffError('CLI_USAGE', message, { hint: 'Run `handoff --help` for commands, options and examples.', details: { reason: err.code } }));
      return ExitCode.usage;
    }
    return output.error(run.command ?? '', io.signal?.aborted ? interrupted(err) : err);
  }
}

function interrupted(cause: unknown): HandoffError {
  if (isHandoffError(cause, 'INTERRUPTED')) return cause;
  return new HandoffError('INTERRUPTED', 'Interrupted', { cause, hint: 'Run the command again to carry on; work already finished is kept.' });
}

/** Aborts on the first SIGINT/SIGTERM; a second one ends the process at once. */
function watchInterrupts(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    process.stderr.write(`\n${name === 'SIGINT' ? 'Ctrl-C' : name}: stopping (press Ctrl-C again to quit at once)\n`);
    controller.abort(new HandoffError('INTERRUPTED', `Interrupted by ${name}`, { hint: 'Run the command again to carry on; work already finished is kept.' }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
