/** Asks a person at a terminal for the publish fields still missing, and for a go-ahead. */
import { createInterface } from 'node:readline/promises';
import { HandoffError } from '../../core/errors.ts';
import { completeFields, missingFields, parseTimeSpent } from '../../vendor-publish/index.ts';
import type { FieldsToFill, PublishFields } from '../../vendor-publish/index.ts';

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

const MAX_TRIES = 3;

/** The fields, asking for what is missing when `interactive`; PUBLISH_FIELDS_MISSING otherwise. */
export async function fillFields(wanted: FieldsToFill, given: PublishFields, interactive: boolean): Promise<PublishFields> {
  const missing = missingFields(wanted, given);
  if (!missing.length) return completeFields(wanted, given);
  if (!interactive) {
    throw new HandoffError('PUBLISH_FIELDS_MISSING', `Fill in ${missing.join(', ')} before publishing (not a terminal, so nothing can be asked)`, {
      hint: 'Give --comment "what you did", --time 3h30m and --status, or run on a terminal to be asked.',
      details: { missing },
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const fields = { ...given };
    if (missing.includes('comment')) fields.comment = await askUntil(rl, 'Comment: ', (text) => (text.trim() ? text.trim() : undefined));
    if (missing.includes('time')) fields.timeSpent = await askUntil(rl, 'Time spent (e.g. 3h30m): ', (text) => { try { return parseTimeSpent(text); } catch { return undefined; } });
    if (missing.includes('status')) {
      const list = wanted.statuses.map((s, i) => `${i + 1}) ${s.label}`).join('  ');
      fields.status = await askUntil(rl, `Status ${list}: `, (text) => wanted.statuses[Number(text) - 1]?.value ?? wanted.statuses.find((s) => s.value === text.trim())?.value);
    }
    return completeFields(wanted, fields);
  } finally {
    rl.close();
  }
}

async function askUntil<T>(rl: ReturnType<typeof createInterface>, question: string, read: (text: string) => T | undefined): Promise<T> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const value = read(await rl.question(question));
    if (value !== undefined) return value;
  }
  throw new HandoffError('PUBLISH_FIELDS_MISSING', `No usable answer to "${question.trim()}" after ${MAX_TRIES} tries`, { hint: 'Give the value as an option instead.' });
}

export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
