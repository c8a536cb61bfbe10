/** Secrets of the server: admin tokens, kept in a file when none is given (lib/core/secrets.ts reads the others). */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

export { readSecretFile, secretFromEnv } from '../core/secrets.ts';

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
