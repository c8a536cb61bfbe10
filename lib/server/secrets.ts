/**
 * Secrets come from the environment or from files, never from the command
 * line (visible in process lists) and never into logs. `NAME_FILE` points at a
 * file holding the value of `NAME` (the convention container platforms use).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { HandoffError } from '../core/errors.ts';

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

/** Tokens separated by commas, spaces or new lines. */
export function splitTokens(text: string): string[] {
  return text.split(/[\s,]+/).filter((token) => token !== '');
}

/**
 * The admin token kept in `file`, created (random, mode 0600) when there is
 * none, so a first `handoff serve` works without setup and the token is read
 * from the file instead of a log.
 */
export async function ensureTokenFile(file: string): Promise<string> {
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'w' });
  return token;
}
