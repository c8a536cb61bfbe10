import { HandoffError } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';

/**
 * Splits a command line into arguments the way a POSIX shell would for plain
 * words, single and double quotes and backslash escapes — and nothing else: no
 * globbing, no variables, no pipes. Hooks never run through a shell.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
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
      hint: 'Close the quote in the configured command line.',
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

/** Replaces `${NAME}` placeholders with the given values; unknown names are left as they are. */
export function substitute(arg: string, values: Record<string, string>): string {
  return arg.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
