/**
 * The Tracker seam on ShotGrid, over the typed REST client.
 * `createShotgridTracker({ siteUrl, scriptName, scriptKey })` checks its
 * options and sends nothing until first used. Writes for a vendor's person go
 * out as that person (`sudo_as_login`) when the script may act for them.
 */
import { isHandoffError } from '../../core/errors.ts';
import { statusUnknown, taskAmbiguous, taskNotFound, userNotFound, versionNotFound } from '../errors.ts';
import type { Note, TimeLogEntry, Tracker } from '../types.ts';
import { createShotgridClient, formatDate, link, linkOf, parseTimestamp } from './client/index.ts';
import type { FlatRecord, ShotgridClient, ShotgridCredentials } from './client/index.ts';
import { resolveTaskContexts } from './context.ts';
import { createDirectory } from './directory.ts';
import { byCreation, NOTE_FIELDS, sgId, str, toNote } from './mapping.ts';
import { checkShotgridOptions } from './options.ts';
import type { ResolvedShotgridOptions, ShotgridTrackerOptions } from './options.ts';
import { publishVersion } from './publish.ts';
import { readVersions } from './versions.ts';

const TIMELOG_FIELDS = ['entity', 'user', 'duration', 'date', 'description'];

function toTimeLog(row: FlatRecord): TimeLogEntry {
  const comment = str(row['description']);
  return {
    id: String(row.id),
    taskId: String(linkOf(row['entity'])?.id ?? ''),
    userId: String(linkOf(row['user'])?.id ?? ''),
    seconds: Number(row['duration'] ?? 0) * 60,
    start: parseTimestamp(`${str(row['date'])}T00:00:00Z`) ?? new Date(0),
    ...(comment ? { comment } : {}),
  };
}

export function credentialsOf(options: ResolvedShotgridOptions): ShotgridCredentials {
  return options.scriptName && options.scriptKey
    ? { kind: 'script', scriptName: options.scriptName, scriptKey: options.scriptKey }
    : { kind: 'password', login: options.login ?? '', password: options.password ?? '' };
}

export type ShotgridTracker = Tracker & { readonly client: ShotgridClient };

export function createShotgridTracker(input: ShotgridTrackerOptions): ShotgridTracker {
  const options = checkShotgridOptions(input);
  const client = createShotgridClient({
    siteUrl: options.siteUrl,
    apiPrefix: options.apiPrefix,
    credentials: credentialsOf(options),
    attempts: options.retries,
    retryDelayMs: options.retryDelayMs,
    concurrency: options.concurrency,
    fetch: options.fetch,
  });
  const directory = createDirectory(client, options);
  const page = { pageSize: options.pageSize };
  /** Logins the script may not act for: their writes go out as the script, with the person in the user fields. */
  const noSudo = new Set<string>();
  const sudoOk = new Set<string>();
  /** Publishes of one asset run one after another here, so numbers and keys never race in-process. */
  const publishing = new Map<string, Promise<unknown>>();

  async function writerFor(login: string | undefined): Promise<ShotgridClient> {
    if (!login || !options.actAsAuthor || noSudo.has(login)) return client;
    const sudo = client.as(login);
    if (sudoOk.has(login)) return sudo;
    try {
      await sudo.findOne('HumanUser', [['login', 'is', login]], ['login']);
      sudoOk.add(login);
      return sudo;
    } catch (err) {
      if (!isHandoffError(err, 'SHOTGRID_AUTH_FAILED')) throw err;
      noSudo.add(login);
      return client;
    }
  }

  const requireTask = async (taskId: string): Promise<FlatRecord> => {
    const id = sgId(taskId);
    const row = id === undefined ? undefined : await client.read('Task', id, ['content', 'entity', 'project']);
    if (!row) throw taskNotFound(taskId);
    return row;
  };
  const authorLogin = async (authorId: string | undefined): Promise<string | undefined> => {
    if (authorId === undefined) return undefined;
    const user = await directory.user({ id: authorId });
    if (!user) throw userNotFound(authorId);
    return user.username;
  };

  return {
    name: 'shotgrid',
    features: { actions: false, uploads: true, jobs: false },
    client,

    resolveTasks: (ids) => resolveTaskContexts(client, directory, options, ids),

    async findTask(query) {
      const projects = (await client.findAll('Project', [[options.projectCodeField, 'is', query.project]], { fields: [options.projectCodeField], ...page })).filter(
        (p) => str(p[options.projectCodeField]) === query.project,
      );
      if (!projects.length) return undefined;
      const shots = (await client.findAll('Shot', [['project', 'in', projects.map((p) => link('Project', p.id))], ['code', 'is', query.shot]], { fields: ['code', 'sg_sequence'], ...page })).filter(
        (s) => str(s['code']) === query.shot && (query.sequence === undefined || str(linkOf(s['sg_sequence'])?.name) === query.sequence),
      );
      if (!shots.length) return undefined;
      const tasks = (await client.findAll('Task', [['entity', 'in', shots.map((s) => link('Shot', s.id))], ['content', 'is', query.task]], { fields: ['content'], ...page })).filter(
        (t) => str(t['content']) === query.task,
      );
      const contexts = (await resolveTaskContexts(client, directory, options, tasks.map((t) => String(t.id)))).flatMap((r) => (r.ok ? [r.context] : []));
      if (contexts.length > 1) throw taskAmbiguous(query, contexts.map((c) => c.path));
      return contexts[0];
    },

    getUser: (by) => directory.user(by),
    listStatuses: () => directory.statuses(),

    async listVersions(taskId, asset) {
      const task = await requireTask(taskId);
      return readVersions(client, task.id, await directory.statuses(), options.pageSize, asset);
    },

    async publishVersion(request) {
      const lock = `${request.taskId}\u0000${request.asset}`;
      const run = (publishing.get(lock) ?? Promise.resolve()).catch(() => undefined).then(() => publishVersion({ client, directory, options, writerFor }, request));
      publishing.set(lock, run);
      try {
        return await run;
      } finally {
        if (publishing.get(lock) === run) publishing.delete(lock);
      }
    },

    async addNote(target, content, authorId): Promise<Note> {
      const id = sgId(target.id);
      let links: Record<string, unknown>;
      if (target.kind === 'task') {
        const task = await requireTask(target.id);
        links = { project: linkOf(task['project']), tasks: [link('Task', task.id)], note_links: [linkOf(task['entity'])].filter(Boolean) };
      } else {
        const version = id === undefined ? undefined : await client.read('Version', id, ['project', 'sg_task', 'entity']);
        if (!version) throw versionNotFound(target.id);
        const task = linkOf(version['sg_task']);
        links = { project: linkOf(version['project']), note_links: [link('Version', version.id)], tasks: task ? [link('Task', task.id)] : [] };
      }
      const login = await authorLogin(authorId);
      const writer = await writerFor(login);
      const row = await writer.create('Note', { ...links, subject: content.split('\n')[0]!.slice(0, 80), content, ...(authorId ? { user: link('HumanUser', authorId) } : {}) });
      return toNote(row, await directory.users(authorId ? [authorId] : []));
    },

    async listNotes(target) {
      const id = sgId(target.id);
      if (id === undefined) return [];
      const filter: [string, string, unknown] = target.kind === 'task' ? ['tasks', 'is', link('Task', id)] : ['note_links', 'is', link('Version', id)];
      const rows = (await client.findAll('Note', [filter], { fields: NOTE_FIELDS, ...page })).sort(byCreation);
      const users = await directory.users(rows.map((r) => linkOf(r['user'])?.id ?? 0));
      return rows.map((r) => toNote(r, users));
    },

    async logTime(entry) {
      const task = await requireTask(entry.taskId);
      const login = await authorLogin(entry.userId);
      const start = entry.start ?? new Date();
      const writer = await writerFor(login);
      const row = await writer.create('TimeLog', {
        project: linkOf(task['project']),
        entity: link('Task', task.id),
        user: link('HumanUser', entry.userId),
        duration: Math.round(entry.seconds / 60),
        date: formatDate(start),
        description: entry.comment ?? '',
      });
      // ShotGrid keeps the day of a time log; the start given is answered back as given.
      return { ...toTimeLog(row), start };
    },

    async listTimeLogs(taskId) {
      const id = sgId(taskId);
      if (id === undefined) return [];
      const rows = await client.findAll('TimeLog', [['entity', 'is', link('Task', id)]], { fields: TIMELOG_FIELDS, sort: ['date', 'id'], ...page });
      return rows.map(toTimeLog);
    },

    async setTaskStatus(taskId, statusName) {
      const all = await directory.statuses();
      const status = all.find((s) => s.name === statusName);
      if (!status) throw statusUnknown(statusName, all.map((s) => s.name));
      const task = await requireTask(taskId);
      await client.update('Task', task.id, { sg_status_list: status.id });
      return status;
    },

    async close() {
      // Nothing stays open: fetch keeps no connection the process must wait for.
    },
  };
}
