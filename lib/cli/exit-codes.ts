/**
 * What `handoff` exit codes mean (docs/cli.md lists them). Scripts can branch
 * on these without parsing output; a service manager can tell "fix the
 * config" (3, 6) from "try again later" (5).
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

/** Codes whose name alone would mislead; everything else follows the suffix rules below. */
const EXCEPTIONS: Record<string, ExitCodeValue> = {
  CLI_USAGE: ExitCode.usage,
  OUTSOURCE_VENDOR_REQUIRED: ExitCode.usage,
  INTERRUPTED: ExitCode.interrupted,
  SERVER_AGENT_SIGNATURE_INVALID: ExitCode.denied,
  AGENT_NOT_ENROLLED: ExitCode.invalid,
  TRACKER_KEY_MISSING: ExitCode.invalid,
  PUBLISH_FIELDS_MISSING: ExitCode.invalid,
};

/** Suffix rules, first match wins (the same list is in docs/cli.md). */
const SUFFIXES: [RegExp, ExitCodeValue][] = [
  [/_ABORTED$/, ExitCode.interrupted],
  [/(^|_)NOT_FOUND$|_UNKNOWN$/, ExitCode.notFound],
  [/_(DENIED|FORBIDDEN|UNAUTHORI[SZ]ED|AUTH_FAILED|REFUSED|REVOKED|TOKEN_MISSING)$/, ExitCode.denied],
  [/_(INVALID|SYNTAX|ENV_MISSING|UNSAFE|NOT_CONFIGURED|EMPTY)$/, ExitCode.invalid],
];

/** The exit code for an error: an exception by code, else its suffix, else 5 when retryable, else 1. */
export function exitCodeFor(err: unknown): ExitCodeValue {
  if (!isHandoffError(err)) return ExitCode.failure;
  const { code } = err;
  const exception = EXCEPTIONS[code];
  if (exception !== undefined) return exception;
  for (const [pattern, exit] of SUFFIXES) if (pattern.test(code)) return exit;
  return err.retryable ? ExitCode.unavailable : ExitCode.failure;
}
