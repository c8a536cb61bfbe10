/**
 * Secrets come from the environment or from files, never from the command line (visible in
 * process lists) and never into logs. `NAME_FILE` points at a file holding the value of
 * `NAME` (the convention container platforms use).
 */
import { readFile } from 'node:fs/promises';
import { HandoffError } from './errors.ts';

/** The value of `NAME`, else the trimmed content of the file `NAME_FILE` names, else undefined. */
export async function secretFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const direct = env[name];
  if (direct) return direct;
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  return readSecretFile(file, `${name}_FILE`);
}

export async function readSecretFile(file: string, what: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (cause) {
    throw new HandoffError('SERVER_SECRET_UNREADABLE', `Cannot read the secret file ${file} (${what})`, {
      cause,
      details: { file },
      hint: 'Check the path and that the user running handoff may read it.',
    });
  }
}
