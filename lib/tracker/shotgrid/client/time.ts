/**
 * ShotGrid's three timestamp spellings: reads answer `2026-09-04T03:51:48Z`,
 * create responses `2026-09-04 03:51:48 UTC`, and webhook/event payloads a
 * zoneless `2026-09-04 03:51:48.523887` that is UTC. Writes are sent as UTC ISO
 * without sub-seconds; `date` fields as `YYYY-MM-DD`.
 */

const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/;
const WITH_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? UTC$/;

/** Parses any of the three timestamp spellings (and ISO with an offset); undefined when it is none. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || !value) return undefined;
  const m = WITH_UTC.exec(value) ?? ZONELESS.exec(value);
  const iso = m ? `${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}Z` : value;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A `date_time` value to send: UTC, second precision. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A `date` value to send: the UTC calendar day. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
