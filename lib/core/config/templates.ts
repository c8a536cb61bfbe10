/**
 * Compiles every naming and path template in the config with lib/core/naming,
 * so a typo in a field name is caught by `config check`, at its line, rather
 * than at the first Outsource click. Reads the raw input like crossCheck.
 */
import { isHandoffError } from '../errors.ts';
import { compileTemplate, type FieldOptions } from '../naming/index.ts';
import type { RawIssue } from './issues.ts';
import { list, record } from './raw.ts';

/** Fields some templates may use beyond the naming fields. */
export const extraTemplateFields = {
  jobName: { yymmdd: { pattern: '\\d{6}' } },
  destination: { folder: { pattern: '[^/]+' } },
} as const satisfies Record<string, Record<string, FieldOptions>>;

export function checkTemplates(input: unknown): RawIssue[] {
  const root = record(input);
  const naming = record(root.naming);
  const fields = fieldOptions(naming.fields);
  const issues: RawIssue[] = [];
  const check = (text: unknown, path: Array<string | number>, extra: Record<string, FieldOptions> = {}) => {
    if (typeof text !== 'string' || text.trim() === '') return;
    try {
      compileTemplate(text, { ...fields, ...extra });
    } catch (err) {
      if (!isHandoffError(err, 'NAMING_TEMPLATE_INVALID')) throw err;
      const reason = err.message.replace(/^Naming template .* is not valid: /s, '');
      issues.push({ path, message: `invalid template: ${reason} (write fields as {shot} or {version:03}; {{ and }} are literal braces)` });
    }
  };
  check(naming.publishFolder, ['naming', 'publishFolder']);
  check(naming.taskDescription, ['naming', 'taskDescription']);
  for (const [name, text] of Object.entries(record(naming.paths))) check(text, ['naming', 'paths', name]);
  const outsource = record(root.outsource);
  check(outsource.jobName, ['outsource', 'jobName'], extraTemplateFields.jobName);
  for (const [type, rule] of Object.entries(record(outsource.rules))) {
    list(record(rule).send).forEach((entry, i) => {
      const literal = typeof entry === 'string';
      const text = literal ? entry : record(entry).template;
      if (typeof text === 'string' && text.includes('{')) check(text, ['outsource', 'rules', type, 'send', i, ...(literal ? [] : ['template'])]);
    });
  }
  check(record(root.publish).destination, ['publish', 'destination'], extraTemplateFields.destination);
  return issues;
}

/** The usable part of `naming.fields`; the schema reports the rest. */
function fieldOptions(input: unknown): Record<string, FieldOptions> {
  return Object.fromEntries(
    Object.entries(record(input)).map(([name, raw]) => {
      const { pattern, values, case: letterCase, numeric } = record(raw);
      const options: FieldOptions = {};
      if (typeof pattern === 'string' && compiles(pattern)) options.pattern = pattern;
      if (Array.isArray(values) && values.every((v) => typeof v === 'string')) options.values = values;
      if (letterCase === 'lower' || letterCase === 'upper' || letterCase === 'any') options.case = letterCase;
      if (typeof numeric === 'boolean') options.numeric = numeric;
      return [name, options];
    }),
  );
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
