import { HandoffError } from '../core/errors.ts';
import type { HookCommand } from '../core/config/index.ts';
import { redactText } from '../core/redact.ts';

/** Characters a backslash escapes outside quotes (POSIX rules, but a backslash before anything else stays). */
const ESCAPABLE = new Set(['\\', '"', "'", ' ', '\t', '$']);
/** Inside double quotes a backslash escapes only these, as in a POSIX shell. */
const ESCAPABLE_IN_QUOTES = new Set(['\\', '"', '$']);

/**
 * Splits a command line into arguments the way a shell would for plain words,
 * single and double quotes and backslash escapes — and nothing else: no
 * globbing, no variables, no pipes. Hooks never run through a shell. A
 * backslash escapes only a quote, a backslash, a blank or `$` (POSIX), so
 * `C:\pipeline\hook.py` keeps its backslashes; on Windows a backslash
 * escapes only `"`, so `\\server\share` stays as written too.
 */
export function splitCommandLine(line: string, platform: NodeJS.Platform = process.platform): string[] {
  const windows = platform === 'win32';
  const escapes = (next: string | undefined, quoted: boolean): boolean =>
    next !== undefined && (windows ? next === '"' : (quoted ? ESCAPABLE_IN_QUOTES : ESCAPABLE).has(next));
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && escapes(line[i + 1], true)) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && escapes(line[i + 1], false)) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) {
    throw new HandoffError('HOOK_COMMAND_INVALID', `Unclosed ${quote} quote in hook command: ${redactText(line)}`, {
      hint: 'Close the quote in the configured command line, or give the command as a list [program, arg, …].',
    });
  }
  if (inWord) args.push(current);
  if (args.length === 0) {
    throw new HandoffError('HOOK_COMMAND_INVALID', 'Hook command line is empty', {
      hint: 'Configure the program to run, e.g. `python3 /pipeline/hook.py ${PATH_JSON_INPUT}`.',
    });
  }
  return args;
}

const OS_KEYS: Partial<Record<NodeJS.Platform, 'linux' | 'darwin' | 'windows'>> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

/** The program and arguments of a hook command on `platform`: a list as given, a line split, or the OS's entry. */
export function commandArgs(command: HookCommand, platform: NodeJS.Platform = process.platform): string[] {
  if (Array.isArray(command)) {
    if (command.length === 0 || command[0] === '') throw new HandoffError('HOOK_COMMAND_INVALID', 'Hook command list is empty', { hint: 'Give the program first: [python3, /pipeline/hook.py, ${PATH_JSON_INPUT}].' });
    return [...command];
  }
  if (typeof command === 'string') return splitCommandLine(command, platform);
  const key = OS_KEYS[platform];
  const chosen = (key ? command[key] : undefined) ?? command.default;
  if (chosen === undefined) {
    throw new HandoffError('HOOK_COMMAND_INVALID', `The hook has no command for ${key ?? platform}`, {
      details: { platform, given: Object.keys(command) },
      hint: `Add a ${key ?? 'default'} (or default) entry to the hook's command.`,
    });
  }
  return commandArgs(chosen, platform);
}

/** Replaces `${NAME}` placeholders with the given values; unknown names are left as they are. */
export function substitute(arg: string, values: Record<string, string>): string {
  return arg.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
