/**
 * What `handoff` exit codes mean (docs/cli.md lists them). Scripts can branch
 * on these without parsing output.
 */
import { isHandoffError } from '../core/errors.ts';

export const ExitCode = {
  /** Done. */
  ok: 0,
  /** Failed for a reason not covered below. */
  failure: 1,
  /** Wrong command line: unknown command or option, missing argument. */
  usage: 2,
  /** Invalid config or input: fix the file or the data and run again. */
  invalid: 3,
  /** Something named does not exist: file, job, task, vendor. */
  notFound: 4,
  /** A service is unavailable or busy: trying again later may work. */
  unavailable: 5,
  /** Not allowed: authentication or access refused. */
  denied: 6,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error, from its code's suffix (documented in docs/cli.md). */
export function exitCodeFor(err: unknown): ExitCodeValue {
  if (!isHandoffError(err)) return ExitCode.failure;
  const { code } = err;
  if (code === 'CLI_USAGE') return ExitCode.usage;
  if (/(^|_)NOT_FOUND$/.test(code)) return ExitCode.notFound;
  if (/_(INVALID|SYNTAX|ENV_MISSING|UNSAFE)$/.test(code)) return ExitCode.invalid;
  if (/_(DENIED|FORBIDDEN|UNAUTHORI[SZ]ED)$/.test(code)) return ExitCode.denied;
  if (code === 'INTERRUPTED' || code.endsWith('_ABORTED')) return ExitCode.interrupted;
  if (err.retryable) return ExitCode.unavailable;
  return ExitCode.failure;
}
