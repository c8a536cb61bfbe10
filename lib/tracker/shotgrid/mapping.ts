/** ShotGrid rows → the Tracker seam's shapes: users, statuses, projects, frame ranges, notes. */
import { linkOf, linksOf, parseTimestamp } from './client/index.ts';
import type { FlatRecord } from './client/index.ts';
import type { FrameRange, Note, ProjectInfo, Status, StatusState, User } from '../types.ts';
import type { ResolvedShotgridOptions } from './options.ts';

export const USER_FIELDS = ['login', 'name', 'email', 'groups', 'sg_status_list'];
export const NOTE_FIELDS = ['content', 'user', 'created_at', 'tasks', 'note_links'];

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** A ShotGrid id from an opaque tracker id; undefined when it cannot be one. */
export function sgId(id: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined;
}

export function toUser(row: FlatRecord): User {
  return {
    id: String(row.id),
    username: str(row['login']),
    name: str(row['name']) || str(row['login']),
    ...(row['email'] ? { email: str(row['email']) } : {}),
    groups: linksOf(row['groups']).map((g) => str(g.name)).filter(Boolean),
  };
}

const GUESSED_STATES: Record<string, StatusState> = {
  wtg: 'not_started', rdy: 'not_started', na: 'not_started', new: 'not_started',
  fin: 'done', apr: 'done', cmpt: 'done', cmp: 'done', done: 'done', vwd: 'done',
  hld: 'blocked', omt: 'blocked', blk: 'blocked', cbb: 'blocked',
};

/** A status code's workflow state: the configured one, else a guess from ShotGrid's usual codes, else in progress. */
export function stateOf(code: string, configured: Record<string, StatusState>): StatusState {
  return configured[code] ?? GUESSED_STATES[code.toLowerCase()] ?? 'in_progress';
}

export function toStatus(code: string, name: string, options: ResolvedShotgridOptions): Status {
  return { id: code, name: name || code, state: stateOf(code, options.statusStates) };
}

/** The first of `names` that is set on `row`. */
export function pick(row: FlatRecord | undefined, names: string[]): unknown {
  for (const name of names) {
    const v = row?.[name];
    if (v !== null && v !== undefined && v !== '') return v;
  }
  return undefined;
}

export function projectFields(options: ResolvedShotgridOptions): string[] {
  const f = options.fieldNames;
  return ['name', options.projectCodeField, ...f.fps, ...f.resolution, ...f.resolutionWidth, ...f.resolutionHeight, ...f.colourSpace, ...f.root];
}

export function toProject(row: FlatRecord, options: ResolvedShotgridOptions): ProjectInfo {
  const f = options.fieldNames;
  const parsed = /^(\d+)\s*[xX×]\s*(\d+)$/.exec(str(pick(row, f.resolution)));
  const width = num(pick(row, f.resolutionWidth)) ?? num(parsed?.[1]);
  const height = num(pick(row, f.resolutionHeight)) ?? num(parsed?.[2]);
  const code = str(row[options.projectCodeField]);
  const colourSpace = str(pick(row, f.colourSpace));
  const root = str(pick(row, f.root));
  return {
    id: String(row.id),
    name: code,
    fullName: str(row['name']) || code,
    fps: num(pick(row, f.fps)) ?? 24,
    ...(width && height ? { resolution: { width, height } } : {}),
    ...(colourSpace ? { colourSpace } : {}),
    ...(root ? { root } : {}),
  };
}

export const SHOT_FIELDS = ['code', 'sg_sequence', 'sg_cut_in', 'sg_cut_out', 'sg_head_in', 'sg_tail_out'];

/** Cut in/out with head and tail handles from `sg_head_in`/`sg_tail_out`. */
export function frameRangeOf(shot: FlatRecord): FrameRange | undefined {
  const start = num(shot['sg_cut_in']);
  const end = num(shot['sg_cut_out']);
  if (start === undefined || end === undefined) return undefined;
  const headIn = num(shot['sg_head_in']);
  const tailOut = num(shot['sg_tail_out']);
  return { start, end, handles: { head: headIn === undefined ? 0 : Math.max(0, start - headIn), tail: tailOut === undefined ? 0 : Math.max(0, tailOut - end) } };
}

export function toNote(row: FlatRecord, users: Map<string, User>): Note {
  const author = users.get(str(linkOf(row['user'])?.id));
  return { id: String(row.id), content: str(row['content']), ...(author ? { author } : {}), createdAt: parseTimestamp(row['created_at']) ?? new Date(0) };
}

/** Notes oldest first (ids break ties within a second). */
export function byCreation(a: FlatRecord, b: FlatRecord): number {
  return (parseTimestamp(a['created_at'])?.getTime() ?? 0) - (parseTimestamp(b['created_at'])?.getTime() ?? 0) || a.id - b.id;
}
