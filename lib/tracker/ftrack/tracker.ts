/**
 * The Tracker seam on ftrack, through the official `@ftrack/api` client.
 * `createFtrackTracker({ serverUrl, user, apiKey })` checks its options and
 * sends nothing until first used.
 */
import { HandoffError } from '../../core/errors.ts';
import type { Note, Status, TimeLogEntry, Tracker, User } from '../types.ts';
import { createActionChannel } from './actions.ts';
import { createConnection, q } from './connection.ts';
import type { Row } from './connection.ts';
import { resolveTaskContexts } from './context.ts';
import { str, toDate, toNote, toStatus, toUser } from './mapping.ts';
import { checkFtrackOptions } from './options.ts';
import type { FtrackTrackerOptions } from './options.ts';
import { publishVersion } from './publish.ts';

const USER_FIELDS = 'id, username, first_name, last_name, email';
const STATUS_QUERY = 'select id, name, sort, state.short, state.name from Status order by sort';
const parentTypeOf = (kind: 'task' | 'version'): string => (kind === 'task' ? 'TypedContext' : 'AssetVersion');

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
  const usersById = new Map<string, User>();
  let myId: Promise<string> | undefined;

  const getUser = async (by: { id: string } | { username: string } | { email: string }): Promise<User | undefined> => {
    const [field, value] = 'id' in by ? ['id', by.id] : 'username' in by ? ['username', by.username] : ['email', by.email];
    if (field === 'id' && usersById.has(value)) return usersById.get(value);
    const row = (await conn.query(`select ${USER_FIELDS} from User where ${field} is ${q`${value}`}`))[0];
    const user = row ? toUser(row) : undefined;
    if (user) usersById.set(user.id, user);
    return user;
  };
  const usersFor = async (ids: string[]): Promise<Map<string, User>> => {
    const rows = await conn.queryIn((list) => `select ${USER_FIELDS} from User where id in (${list})`, ids.filter(Boolean));
    return new Map(rows.map((r) => [str(r['id']), toUser(r)]));
  };
  const myUserId = (): Promise<string> => {
    myId ??= getUser({ username: options.user }).then((u) => {
      if (u) return u.id;
      myId = undefined;
      throw new HandoffError('FTRACK_NOT_FOUND', `The API user ${options.user} has no User in ftrack.`, { hint: 'Use the user name of an ftrack user as the API user.' });
    });
    return myId;
  };
  const statusNamed = async (name: string): Promise<Status> => {
    const statuses = (await conn.query(STATUS_QUERY)).map(toStatus);
    const status = statuses.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!status) {
      throw new HandoffError('FTRACK_STATUS_UNKNOWN', `ftrack has no status named "${name}".`, {
        hint: `Use one of: ${statuses.map((s) => s.name).join(', ')}.`,
        details: { status: name },
      });
    }
    return status;
  };
  const created = async (type: string, data: Record<string, unknown>): Promise<Row> => {
    const [result] = await conn.call<{ data: Row }>([{ action: 'create', entity_type: type, entity_data: { __entity_type__: type, ...data } }]);
    return result?.data ?? {};
  };
  const actions = createActionChannel(conn, options, (id) => getUser({ id }));

  return {
    name: 'ftrack',
    features: { actions: true, uploads: true, jobs: true },
    actions: actions.channel,

    resolveTasks: (ids) => resolveTaskContexts(conn, options, ids),

    async findTask(query) {
      const conditions = [q`name is ${query.task}`, q`parent.name is ${query.shot}`, q`project.name is ${query.project}`];
      if (query.sequence) conditions.push(q`parent.parent.name is ${query.sequence}`);
      const rows = await conn.query(`select id from Task where ${conditions.join(' and ')}`);
      const [resolved] = rows[0] ? await resolveTaskContexts(conn, options, [str(rows[0]['id'])]) : [];
      return resolved?.ok ? resolved.context : undefined;
    },

    getUser,

    async listStatuses() {
      return (await conn.query(STATUS_QUERY)).map(toStatus);
    },

    async listVersions(taskId, asset) {
      const where = q`task_id is ${taskId}` + (asset ? q` and asset.name is ${asset}` : '');
      const rows = await conn.queryAll(`select id, version, task_id, date, asset.name from AssetVersion where ${where} order by id`);
      return rows
        .map((r) => ({ id: str(r['id']), asset: str((r['asset'] as Row | undefined)?.['name']), version: Number(r['version']), taskId: str(r['task_id']), createdAt: toDate(r['date']) }))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.version - b.version);
    },

    publishVersion: (request) => publishVersion(conn, options, myUserId, request),

    async addNote(target, content, authorId) {
      const userId = authorId ?? (await myUserId());
      const row = await created('Note', { content, parent_id: target.id, parent_type: parentTypeOf(target.kind), user_id: userId });
      return toNote(row, await usersFor([userId]));
    },

    async listNotes(target): Promise<Note[]> {
      const rows = await conn.queryAll(q`select id, content, date, user_id, parent_id from Note where parent_id is ${target.id}` + ' order by date');
      const users = await usersFor(rows.map((r) => str(r['user_id'])));
      return rows.map((r) => toNote(r, users));
    },

    async logTime(entry) {
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
      const status = await statusNamed(statusName);
      const task = await conn.query(q`select id from Task where id is ${taskId}`);
      if (!task.length) throw new HandoffError('FTRACK_NOT_FOUND', `No task with id ${taskId} in ftrack.`, { hint: 'Use the id of an existing task.', details: { taskId } });
      await conn.call([{ action: 'update', entity_type: 'Task', entity_key: [taskId], entity_data: { __entity_type__: 'Task', status_id: status.id } }], { idempotent: true });
      return status;
    },

    async createJob(userId, description) {
      const job = await created('Job', { user_id: userId, status: 'running', type: 'api_job', data: JSON.stringify({ description }) });
      const id = str(job['id']);
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
