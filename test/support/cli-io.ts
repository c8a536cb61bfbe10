/** An in-memory CliIo for running `main` in-process. */
import type { CliIo } from '../../lib/cli/output.ts';

export function memoryIo(env: NodeJS.ProcessEnv = {}, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text), isTTY: tty, columns: 100 },
    stderr: { write: (text: string) => err.push(text), isTTY: tty, columns: 100 },
    env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
