/** Runs a publish command body; HandoffErrors are printed for people (or as JSON) with exit code 1. */
import pc from 'picocolors';
import { isHandoffError } from '../../core/errors.ts';

export async function reportErrors(json: boolean, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!isHandoffError(err)) throw err;
    if (json) console.log(JSON.stringify({ error: err.toJSON() }, null, 2));
    else console.error(`${pc.red(err.code)} ${err.message}${err.hint ? `\n${pc.dim(err.hint)}` : ''}`);
    process.exitCode = 1;
  }
}
