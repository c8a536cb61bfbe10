/**
 * Resolving selected task ids to full TaskContexts in a fixed number of
 * requests, whatever the selection size: tasks, their ancestors level by
 * level, then projects, statuses, types, assignments and notes in one batch,
 * then the users they mention.
 */
import { taskNotFound } from '../errors.ts';
import type { FrameRange, ProjectInfo, Status, TaskContext, TaskResolution, User } from '../types.ts';
import { quotedList } from './connection.ts';
import type { FtrackConnection, Row } from './connection.ts';
import { attributesOf, num, OBJECT_TYPES, pick, str, toNote, toStatus, toUser } from './mapping.ts';
import type { ResolvedFtrackOptions } from './options.ts';

const MAX_DEPTH = 20;

function frameRangeOf(levels: Map<string, unknown>[], keys: ResolvedFtrackOptions['keys']): FrameRange | undefined {
  const start = num(pick(levels, keys, 'frameStart'));
  const end = num(pick(levels, keys, 'frameEnd'));
  if (start === undefined || end === undefined) return undefined;
  const both = num(pick(levels, keys, 'handles')) ?? 0;
  const head = num(pick(levels, keys, 'handleStart')) ?? both;
  const tail = num(pick(levels, keys, 'handleEnd')) ?? both;
  return { start, end, handles: { head, tail } };
}

function projectOf(row: Row, keys: ResolvedFtrackOptions['keys']): ProjectInfo {
  const attrs = [attributesOf(row)];
  const resolutionText = str(pick(attrs, keys, 'resolution'));
  const parsed = /^(\d+)\s*[xX×]\s*(\d+)$/.exec(resolutionText);
  const width = num(pick(attrs, keys, 'resolutionWidth')) ?? num(parsed?.[1]);
  const height = num(pick(attrs, keys, 'resolutionHeight')) ?? num(parsed?.[2]);
  const colourSpace = str(pick(attrs, keys, 'colourSpace'));
  const root = str(row['root']);
  return {
    id: str(row['id']),
    name: str(row['name']),
    fullName: str(row['full_name']) || str(row['name']),
    fps: num(pick(attrs, keys, 'fps')) ?? 25,
    ...(width && height ? { resolution: { width, height } } : {}),
    ...(colourSpace ? { colourSpace } : {}),
    ...(root ? { root } : {}),
  };
}

export async function resolveTaskContexts(conn: FtrackConnection, options: ResolvedFtrackOptions, ids: string[]): Promise<TaskResolution[]> {
  const wanted = ids.filter((id) => typeof id === 'string' && id.length > 0);
  const tasks = await conn.queryIn(
    (list) => `select id, name, parent_id, project_id, type_id, status_id, object_type_id, custom_attributes from TypedContext where id in (${list})`,
    wanted,
  );
  const byId = new Map<string, Row>(tasks.map((t) => [str(t['id']), t]));

  // Ancestors, one level per request, until only projects (read later) remain.
  const projectIds = new Set(tasks.map((t) => str(t['project_id'])));
  const unseen = (id: string): boolean => Boolean(id) && !byId.has(id) && !projectIds.has(id);
  let pending = tasks.map((t) => str(t['parent_id'])).filter(unseen);
  for (let depth = 0; pending.length > 0 && depth < MAX_DEPTH; depth++) {
    const rows = await conn.queryIn(
      (list) => `select id, name, parent_id, object_type_id, custom_attributes from TypedContext where id in (${list})`,
      pending,
    );
    for (const row of rows) byId.set(str(row['id']), row);
    pending = [...new Set(rows.map((r) => str(r['parent_id'])).filter(unseen))];
  }

  const taskRows = tasks.filter((t) => str(t['object_type_id']) === OBJECT_TYPES.task);
  const taskIds = taskRows.map((t) => str(t['id']));
  const [projects, statuses, types, appointments, notes] = taskIds.length
    ? await conn.queries([
        `select id, name, full_name, root, custom_attributes from Project where id in (${unique(taskRows, 'project_id')})`,
        'select id, name, sort, state.short, state.name from Status',
        `select id, name from Type where id in (${unique(taskRows, 'type_id')})`,
        `select context_id, resource_id from Appointment where type is "assignment" and context_id in (${unique(taskRows, 'id')})`,
        `select id, content, date, user_id, parent_id from Note where parent_id in (${unique(taskRows, 'id')}) order by date`,
      ])
    : [[], [], [], [], []];
  const userIds = [...(appointments ?? []).map((a) => str(a['resource_id'])), ...(notes ?? []).map((n) => str(n['user_id']))];
  const users = new Map<string, User>(
    (await conn.queryIn((list) => `select id, username, first_name, last_name, email from User where id in (${list})`, userIds)).map((u) => [str(u['id']), toUser(u)]),
  );
  const projectById = new Map((projects ?? []).map((p) => [str(p['id']), p]));
  const statusById = new Map<string, Status>((statuses ?? []).map((s) => [str(s['id']), toStatus(s)]));
  const typeById = new Map((types ?? []).map((t) => [str(t['id']), str(t['name'])]));

  return ids.map((id): TaskResolution => {
    const task = byId.get(id);
    const project = projectById.get(str(task?.['project_id']));
    if (!task || !tasks.includes(task) || str(task['object_type_id']) !== OBJECT_TYPES.task || !project) {
      const err = taskNotFound(id);
      return { ok: false, id, code: err.code, message: err.message };
    }
    const ancestors: Row[] = [];
    for (let row = byId.get(str(task['parent_id'])); row && ancestors.length < MAX_DEPTH; row = byId.get(str(row['parent_id']))) ancestors.push(row);
    const shot = ancestors.find((a) => [OBJECT_TYPES.shot, OBJECT_TYPES.assetBuild].includes(str(a['object_type_id']) as typeof OBJECT_TYPES.shot));
    const sequence = ancestors.find((a) => str(a['object_type_id']) === OBJECT_TYPES.sequence);
    const levels = [task, ...ancestors, project].map((r) => attributesOf(r));
    const info = projectOf(project, options.keys);
    const frameRange = frameRangeOf([task, ...ancestors].map((r) => attributesOf(r)), options.keys);
    const context: TaskContext = {
      project: info,
      ...(sequence ? { sequence: { id: str(sequence['id']), name: str(sequence['name']) } } : {}),
      ...(shot ? { shot: { id: str(shot['id']), name: str(shot['name']), ...(frameRange ? { frameRange } : {}) } } : {}),
      task: {
        id,
        name: str(task['name']),
        type: (typeById.get(str(task['type_id'])) ?? '').toLowerCase(),
        status: statusById.get(str(task['status_id'])) ?? { id: str(task['status_id']), name: '', state: 'not_started' },
        assignees: (appointments ?? []).filter((a) => str(a['context_id']) === id).flatMap((a) => users.get(str(a['resource_id'])) ?? []),
      },
      fps: num(pick(levels, options.keys, 'fps')) ?? info.fps,
      notes: (notes ?? []).filter((n) => str(n['parent_id']) === id).map((n) => toNote(n, users)),
      path: [info.name, ...ancestors.map((a) => str(a['name'])).reverse(), str(task['name'])],
    };
    return { ok: true, id, context };
  });
}

function unique(rows: Row[], key: string): string {
  return quotedList([...new Set(rows.map((r) => str(r[key])).filter(Boolean))]) || '""';
}
