/**
 * Value encoding on the wire. The server stores datetimes as naive UTC strings
 * truncated to seconds and sends them as `{"__type__":"datetime","value":…}`;
 * clients send ISO strings with or without zone and fractions.
 */
import { validationError } from './errors.ts';

export interface WireDatetime {
  __type__: 'datetime';
  value: string;
}

const ISO = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?)(\.\d+)?(Z|[+-]\d\d:?\d\d)?)?$/;

/** Normalises any accepted datetime text to `YYYY-MM-DDTHH:mm:ss` in UTC, or undefined. */
export function parseDatetime(text: string): string | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, date, time = '00:00:00', , zone] = match;
  const fullTime = time.length === 5 ? `${time}:00` : time;
  const ms = Date.parse(`${date}T${fullTime}${zone ?? 'Z'}`);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().slice(0, 19);
}

export function nowDatetime(): string {
  return new Date().toISOString().slice(0, 19);
}

export function isWireDatetime(value: unknown): value is WireDatetime {
  return typeof value === 'object' && value !== null && (value as { __type__?: unknown }).__type__ === 'datetime';
}

/** Decodes a datetime value from a request (wire object, ISO string or null). */
export function decodeDatetime(value: unknown, attribute: string): string | null {
  if (value === null || value === undefined) return null;
  const text = isWireDatetime(value) ? value.value : value;
  const parsed = typeof text === 'string' ? parseDatetime(text) : undefined;
  if (parsed === undefined) throw validationError(`Invalid datetime ${JSON.stringify(value)} for attribute "${attribute}".`);
  return parsed;
}

export function encodeDatetime(value: unknown): WireDatetime | null {
  return typeof value === 'string' ? { __type__: 'datetime', value } : null;
}
