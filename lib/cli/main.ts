import { Command, CommanderError } from 'commander';
import { HandoffError } from '../core/errors.ts';
import { attachRun } from './action.ts';
import { commands } from './commands/index.ts';
import { ExitCode } from './exit-codes.ts';
import { createOutput, isDebug, type CliIo } from './output.ts';

const examples = `
Examples:
  $ handoff config check                       validate the config in use and print it resolved
  $ handoff config check studio.yaml --json    the same for a given file, as one JSON envelope
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
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and returns the process exit code (docs/cli.md). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const json = argv.slice(2).includes('--json');
  const program = buildProgram(io, json);
  const run = attachRun(program, io);
  try {
    await program.parseAsync(argv);
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
    return output.error(run.command ?? '', err);
  }
}
