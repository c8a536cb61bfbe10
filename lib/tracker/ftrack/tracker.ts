/**
 * The Tracker seam on ftrack, through the official `@ftrack/api` client.
 * `createFtrackTracker({ serverUrl, user, apiKey })` checks its options and
 * sends nothing until first used.
 */
import { HandoffError } from '../../core/errors.ts';
import { statusUnknown, taskAmbiguous, taskNotFound, userNotFound, versionNotFound } from '../errors.ts';
import type { Note, TimeLogEntry, Tracker } from '../types.ts';
import { createActionChannel } from './actions.ts';
import { createConnection, q } from './connection.ts';
import type { Row } from './connection.ts';
import { resolveTaskContexts } from './context.ts';
import { str, toDate, toNote, toStatus } from './mapping.ts';
import { checkFtrackOptions } from './options.ts';
import type { FtrackTrackerOptions } from './options.ts';
import { publishVersion } from './publish.ts';
import { createUserDirectory } from './users.ts';
import { readVersions, STATUS_QUERY } from './versions.ts';

function toTimeLog(row: Row): TimeLogEntry {
  const comment = str(row['comment']);
  return {
    id: str(row['id']),
    taskId: str(row['context_id']),
    userId: str(row['user_id']),
    seconds: Number(row['duration'] ?? 0),
    start: toDate(row['start']),
    ...(comment ? { comment } : {}),
  };
}

export function createFtrackTracker(input: FtrackTrackerOptions): Tracker {
  const options = checkFtrackOptions(input);
  const conn = createConnection(options);
  const users = createUserDirectory(conn, options.user);
  /** Publishes of one asset run one after another here, so numbers and keys never race in-process. */
  const publishing = new Map<string, Promise<unknown>>();

  const statuses = async () => (await conn.query(STATUS_QUERY)).map(toStatus);
  const requireTask = async (taskId: string): Promise<void> => {
    if (!(await conn.query(q`select id from Task where id is ${taskId}`)).length) throw taskNotFound(taskId);
  };
  const requireTarget = async (target: { kind: 'task' | 'version'; id: string }): Promise<void> => {
    if (target.kind === 'task') return requireTask(target.id);
    if (!(await conn.query(q`select id from AssetVersion where id is ${target.id}`)).length) throw versionNotFound(target.id);
  };
  const created = async (type: string, data: Record<string, unknown>): Promise<Row> => {
    const [result] = await conn.call<{ data: Row }>([{ action: 'create', entity_type: type, entity_data: { __entity_type__: type, ...data } }]);
    return result?.data ?? {};
  };
  const actions = createActionChannel(conn, options, (id) => users.get({ id }));

  return {
    name: 'ftrack',
    features: { actions: true, uploads: true, jobs: true },
    actions: actions.channel,

    resolveTasks: (ids) => resolveTaskContexts(conn, options, ids),

    async findTask(query) {
      const conditions = [q`name is ${query.task}`, q`parent.name is ${query.shot}`, q`project.name is ${query.project}`];
      if (query.sequence) conditions.push(q`parent.parent.name is ${query.sequence}`);
      const rows = await conn.query(`select id from Task where ${conditions.join(' and ')}`);
      const resolved = (await resolveTaskContexts(conn, options, rows.map((r) => str(r['id'])))).flatMap((r) => (r.ok ? [r.context] : []));
      if (resolved.length > 1) throw taskAmbiguous(query, resolved.map((c) => c.path));
      return resolved[0];
    },

    getUser: (by) => users.get(by),

    listStatuses: statuses,

    async listVersions(taskId, asset) {
      await requireTask(taskId);
      return readVersions(conn, q`task_id is ${taskId}` + (asset === undefined ? '' : q` and asset.name is ${asset}`));
    },

    async publishVersion(request) {
      const lock = `${request.taskId}\u0000${request.asset}`;
      const run = (publishing.get(lock) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => publishVersion(conn, options, request));
      publishing.set(lock, run);
      try {
        return await run;
      } finally {
        if (publishing.get(lock) === run) publishing.delete(lock);
      }
    },

    async addNote(target, content, authorId) {
      await requireTarget(target);
      const userId = authorId ?? (await users.meId());
      if (authorId && !(await users.get({ id: authorId }))) throw userNotFound(authorId);
      const row = await created('Note', { content, parent_id: target.id, parent_type: target.kind === 'task' ? 'TypedContext' : 'AssetVersion', user_id: userId });
      return toNote(row, await users.byIds([userId]));
    },

    async listNotes(target): Promise<Note[]> {
      const rows = await conn.queryAll(q`select id, content, date, user_id, parent_id from Note where parent_id is ${target.id}` + ' order by date');
      const authors = await users.byIds(rows.map((r) => str(r['user_id'])));
      return rows.map((r) => toNote(r, authors));
    },

    async logTime(entry) {
      await requireTask(entry.taskId);
      if (!(await users.get({ id: entry.userId }))) throw userNotFound(entry.userId);
      const row = await created('Timelog', {
        context_id: entry.taskId,
        user_id: entry.userId,
        duration: entry.seconds,
        start: entry.start ?? new Date(),
        comment: entry.comment ?? '',
      });
      return toTimeLog(row);
    },

    async listTimeLogs(taskId) {
      return (await conn.queryAll(q`select id, context_id, user_id, duration, start, comment from Timelog where context_id is ${taskId}` + ' order by start')).map(toTimeLog);
    },

    async setTaskStatus(taskId, statusName) {
      const all = await statuses();
      const status = all.find((s) => s.name === statusName);
      if (!status) throw statusUnknown(statusName, all.map((s) => s.name));
      await requireTask(taskId);
      await conn.call([{ action: 'update', entity_type: 'Task', entity_key: [taskId], entity_data: { __entity_type__: 'Task', status_id: status.id } }], { idempotent: true });
      return status;
    },

    async createJob(userId, description) {
      if (!(await users.get({ id: userId }))) throw userNotFound(userId);
      const job = await created('Job', { user_id: userId, status: 'running', type: 'api_job', data: JSON.stringify({ description }) });
      const id = str(job['id']);
      if (!id) throw new HandoffError('FTRACK_REQUEST_FAILED', 'ftrack created a job without an id.', { details: { userId } });
      let current = description;
      return {
        id,
        async update(progress) {
          current = progress.description ?? current;
          const data = JSON.stringify({ description: current, ...(progress.fraction !== undefined ? { progress: progress.fraction } : {}) });
          const entity = { __entity_type__: 'Job', data, ...(progress.status ? { status: progress.status } : {}) };
          await conn.call([{ action: 'update', entity_type: 'Job', entity_key: [id], entity_data: entity }], { idempotent: true });
        },
      };
    },

    async close() {
      actions.disconnect();
      await conn.close();
    },
  };
}
