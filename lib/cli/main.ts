import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';

/** Builds the `handoff` program with every registered subcommand. */
export function buildProgram(): Command {
  const program = new Command('handoff')
    .description('Production outsourcing for VFX and animation studios')
    .version('0.1.0')
    .showHelpAfterError();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}
