/** The fields a vendor fills in before uploading: comment, time spent, status. */
import { HandoffError } from '../core/errors.ts';
import type { FieldsToFill, PublishFields } from './types.ts';

const UNITS: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

/** `3h30m`, `1.5h`, `90m`, `2h 15m` → seconds; PUBLISH_TIME_INVALID otherwise. */
export function parseTimeSpent(text: string): number {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)];
  if (!compact || parts.map((p) => p[0]).join('') !== compact) {
    throw new HandoffError('PUBLISH_TIME_INVALID', `${JSON.stringify(text)} is not a time spent`, {
      hint: 'Write hours and minutes with their units, e.g. 3h30m, 1.5h or 45m.',
      details: { value: text },
    });
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
}

/** `3h30m` for people. */
export function formatTimeSpent(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h && m ? `${h}h${m}m` : h ? `${h}h` : `${m}m`;
}

/** Names of the fields still to fill (`comment`, `time`, `status`). */
export function missingFields(wanted: FieldsToFill, given: PublishFields): string[] {
  const missing: string[] = [];
  if (wanted.comment && !given.comment?.trim()) missing.push('comment');
  if (wanted.timeReport && given.timeSpent === undefined) missing.push('time');
  if (wanted.statuses.length && !given.status && !wanted.statuses.some((s) => s.default)) missing.push('status');
  return missing;
}

/** The fields with the default status filled in; PUBLISH_FIELDS_INVALID when a value is not allowed. */
export function completeFields(wanted: FieldsToFill, given: PublishFields): PublishFields {
  const status = given.status ?? wanted.statuses.find((s) => s.default)?.value;
  if (status !== undefined && wanted.statuses.length && !wanted.statuses.some((s) => s.value === status)) {
    throw new HandoffError('PUBLISH_FIELDS_INVALID', `${JSON.stringify(status)} is not a status you can choose`, {
      hint: `Choose one of: ${wanted.statuses.map((s) => s.value).join(', ')}.`,
      details: { status, choices: wanted.statuses.map((s) => s.value) },
    });
  }
  if (given.timeSpent !== undefined && !(Number.isFinite(given.timeSpent) && given.timeSpent >= 0)) {
    throw new HandoffError('PUBLISH_FIELDS_INVALID', 'The time spent must be 0 or more seconds', { hint: 'Give it as 3h30m.', details: { timeSpent: given.timeSpent } });
  }
  return { ...given, ...(status !== undefined ? { status } : {}) };
}
