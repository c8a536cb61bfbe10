/**
 * Rows as ftrack returns them → the tracker-neutral shapes of the Tracker seam.
 */
import type { Note, Status, StatusState, User } from '../types.ts';
import type { Row } from './connection.ts';
import type { ResolvedFtrackOptions } from './options.ts';

/** Object type ids ftrack ships with (the same on every server). */
export const OBJECT_TYPES = {
  task: '11c137c0-ee7e-4f9c-91c5-8c77cec22b2c',
  shot: 'bad911de-3bd6-47b9-8b46-3476e237cb36',
  sequence: 'e5139355-61da-4c8f-9db4-3abc870166bc',
  assetBuild: '4be63b64-5010-42fb-bf1f-428af9d638f0',
} as const;

export const LOCATIONS = {
  server: '3a372bde-05bc-11e4-8908-20c9d081909b',
  unmanaged: 'cb268ecc-8809-11e3-a7e2-20c9d081909b',
} as const;

export const str = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));

/** A datetime as the client decodes it (`decodeDatesAsIso`), or a raw `{__type__, value}`, as a Date. */
export function toDate(value: unknown): Date {
  const raw = value && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value;
  if (typeof raw === 'string') {
    const text = /[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return raw instanceof Date ? raw : new Date(0);
}

/** A User from a User row; groups are filled by the caller that read the memberships. */
export function toUser(row: Row, groups: string[] = []): User {
  const name = [str(row['first_name']), str(row['last_name'])].filter(Boolean).join(' ');
  const email = str(row['email']);
  return { id: str(row['id']), username: str(row['username']), name: name || str(row['username']), groups, ...(email ? { email } : {}) };
}

const STATES: Record<string, StatusState> = {
  NOT_STARTED: 'not_started',
  IN_PROGRESS: 'in_progress',
  DONE: 'done',
  BLOCKED: 'blocked',
};

export function toStatus(row: Row): Status {
  const state = row['state'] as Row | null | undefined;
  const short = str(state?.['short']).toUpperCase() || str(state?.['name']).toUpperCase().replace(/\s+/g, '_');
  return { id: str(row['id']), name: str(row['name']), state: STATES[short] ?? 'not_started' };
}

export function toNote(row: Row, users: Map<string, User>): Note {
  const author = users.get(str(row['user_id']));
  return { id: str(row['id']), content: str(row['content']), createdAt: toDate(row['date'] ?? row['created_at']), ...(author ? { author } : {}) };
}

/** Custom attribute values by key, from the array (or object) ftrack returns as `custom_attributes`. */
export function attributesOf(row: Row | undefined): Map<string, unknown> {
  const raw = row?.['custom_attributes'];
  const map = new Map<string, unknown>();
  if (Array.isArray(raw)) {
    for (const entry of raw as Row[]) if (entry && typeof entry['key'] === 'string') map.set(entry['key'], entry['value']);
  } else if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) map.set(key, value);
  }
  return map;
}

type KeyName = keyof ResolvedFtrackOptions['keys'];

/** The first set value among the configured keys, on the first level (most specific first) that has one. */
export function pick(levels: Map<string, unknown>[], keys: ResolvedFtrackOptions['keys'], name: KeyName): unknown {
  for (const level of levels) {
    for (const key of keys[name]) {
      const value = level.get(key);
      if (value !== undefined && value !== null && value !== '') return value;
    }
  }
  return undefined;
}

export function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
