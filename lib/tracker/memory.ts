/**
 * The in-memory Tracker: the reference implementation of the seam, built from a
 * StudioSeed. Every other tracker is measured against it by the conformance suite.
 */
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { createMemoryActions, type MemoryJob, type MemoryTrackerUi } from './memory-actions.ts';
import { buildStudio, taskContext, type TaskRecord } from './memory-studio.ts';
import * as errors from './errors.ts';
import { assertPublishRequest } from './publish-request.ts';
import { checkStudioSeed, type StudioSeedInput } from './seed.ts';
import type {
  ComponentInfo,
  Note,
  PublishedVersion,
  PublishRequest,
  Status,
  TaskContext,
  TimeLogEntry,
  Tracker,
  TrackerFeatures,
  User,
  VersionInfo,
} from './types.ts';

export interface MemoryTrackerOptions {
  /** The studio to hold; a parsed seed (`loadStudioSeed`) or one written as data. */
  seed: StudioSeedInput;
  /** Turn capabilities off to exercise callers' fallbacks. All on by default. */
  features?: Partial<TrackerFeatures> | undefined;
  /** Username the tracker acts as when a call names no author; default the seed's first user. */
  apiUser?: string | undefined;
  now?: (() => Date) | undefined;
}

export interface MemoryTracker extends Tracker {
  /** Plays the tracker UI: discover/launch actions with a selection, read messages and jobs. */
  readonly ui: MemoryTrackerUi;
}

interface VersionRecord extends VersionInfo {
  key: string;
}

export function createMemoryTracker(options: MemoryTrackerOptions): MemoryTracker {
  if (!options?.seed) throw errors.optionMissing('createMemoryTracker', 'seed');
  const features: TrackerFeatures = { actions: true, uploads: true, jobs: true, ...options.features };
  const now = options.now ?? (() => new Date());
  const studio = buildStudio(checkStudioSeed(options.seed, 'the seed option of createMemoryTracker'), now);
  const apiUser = options.apiUser ? studio.users.find((u) => u.username === options.apiUser) : studio.users[0];
  if (!apiUser) throw errors.optionMissing('createMemoryTracker', `apiUser (no user ${options.apiUser} in the seed)`);

  const versions: VersionRecord[] = [];
  const assets = new Map<string, string>();
  const timeLogs: TimeLogEntry[] = [];
  const jobs: MemoryJob[] = [];
  const userById = (id: string) => studio.users.find((u) => u.id === id);
  const { channel, ui, closeAll } = createMemoryActions((name) => studio.users.find((u) => u.username === name), jobs);

  const taskOf = (id: string): TaskRecord => {
    const task = studio.tasks.get(id);
    if (!task) throw errors.taskNotFound(id);
    return task;
  };
  const authorOf = (id: string | undefined): User => {
    const user = id === undefined ? apiUser : userById(id);
    if (!user) throw errors.userNotFound(id ?? '');
    return user;
  };
  const statusNamed = (name: string): Status => {
    const status = studio.statuses.find((s) => s.name === name);
    if (!status) throw errors.statusUnknown(name, studio.statuses.map((s) => s.name));
    return status;
  };
  const noteTarget = (target: { kind: 'task' | 'version'; id: string }): Note[] => {
    if (target.kind === 'task') taskOf(target.id);
    else if (!versions.some((v) => v.id === target.id)) throw errors.versionNotFound(target.id);
    const list = studio.notes.get(target.id) ?? [];
    studio.notes.set(target.id, list);
    return list;
  };
  const addNote = (target: { kind: 'task' | 'version'; id: string }, content: string, author: User): Note => {
    const note: Note = { id: randomUUID(), content, author, createdAt: now() };
    noteTarget(target).push(note);
    return structuredClone(note);
  };
  const logTime = (entry: { taskId: string; userId: string; seconds: number; comment?: string; start?: Date }) => {
    taskOf(entry.taskId);
    authorOf(entry.userId);
    if (!(Number.isFinite(entry.seconds) && entry.seconds >= 0)) throw errors.invalidRequest(['seconds: must be 0 or more']);
    const log: TimeLogEntry = { id: randomUUID(), ...entry, start: entry.start ?? now() };
    timeLogs.push(log);
    return { ...log };
  };
  const published = (v: VersionRecord, created: boolean): PublishedVersion => ({
    id: v.id,
    version: v.version,
    taskId: v.taskId,
    assetId: v.assetId,
    components: structuredClone(v.components),
    created,
  });
  const readable = async (what: string, file: string | undefined) => {
    if (file === undefined) return;
    if (!features.uploads) throw errors.capabilityMissing('memory', `${what} uploads`);
    await access(file).catch((cause: unknown) => {
      throw errors.fileNotFound(what, file, cause);
    });
  };

  const tracker: MemoryTracker = {
    name: 'memory',
    features,
    ui,
    actions: features.actions ? channel : undefined,

    async resolveTasks(ids) {
      return ids.map((id) => {
        const task = studio.tasks.get(id);
        if (task) return { ok: true as const, id, context: taskContext(studio, task) };
        const err = errors.taskNotFound(id);
        return { ok: false as const, id, code: err.code, message: err.message };
      });
    },

    async findTask(query) {
      const matches = [...studio.tasks.values()].filter(
        (t) =>
          t.project.name === query.project &&
          (query.sequence === undefined || t.sequence.name === query.sequence) &&
          t.shot.name === query.shot &&
          t.name === query.task,
      );
      const contexts: TaskContext[] = matches.map((t) => taskContext(studio, t));
      if (contexts.length > 1) throw errors.taskAmbiguous(query, contexts.map((c) => c.path));
      return contexts[0];
    },

    async getUser(by) {
      const user = studio.users.find((u) =>
        'id' in by ? u.id === by.id : 'username' in by ? u.username === by.username : u.email?.toLowerCase() === by.email.toLowerCase(),
      );
      return user && structuredClone(user);
    },

    async listStatuses() {
      return structuredClone(studio.statuses);
    },

    async listVersions(taskId, asset) {
      taskOf(taskId);
      return versions
        .filter((v) => v.taskId === taskId && (asset === undefined || v.asset === asset))
        .sort((a, b) => a.asset.localeCompare(b.asset) || a.version - b.version)
        .map(({ key: _key, ...info }) => structuredClone(info));
    },

    async publishVersion(request: PublishRequest) {
      assertPublishRequest(request);
      const task = taskOf(request.taskId);
      const author = authorOf(request.authorId);
      const status = request.status === undefined ? undefined : statusNamed(request.status);
      await readable('thumbnail', request.thumbnail);
      await readable('reviewable', request.reviewable?.path);

      // From here on nothing awaits: checking the key, numbering and writing happen as one step.
      const earlier = versions.find((v) => v.key === request.idempotencyKey);
      if (earlier) {
        if (earlier.taskId !== request.taskId || earlier.asset !== request.asset) {
          throw errors.idempotencyConflict(
            request.idempotencyKey,
            { taskId: earlier.taskId, asset: earlier.asset },
            { taskId: request.taskId, asset: request.asset },
          );
        }
        return published(earlier, false);
      }
      const assetKey = `${task.shot.id}/${request.asset}`;
      const assetId = assets.get(assetKey) ?? randomUUID();
      const taken = versions.filter((v) => v.assetId === assetId).map((v) => v.version);
      if (request.version !== undefined && taken.includes(request.version)) throw errors.versionExists(request.asset, request.version);
      assets.set(assetKey, assetId);
      const components: ComponentInfo[] = request.components.map((c) => ({ id: randomUUID(), name: c.name, kind: c.kind, path: c.path }));
      const version: VersionRecord = {
        key: request.idempotencyKey,
        id: randomUUID(),
        asset: request.asset,
        assetId,
        version: request.version ?? Math.max(0, ...taken) + 1,
        taskId: task.id,
        createdAt: now(),
        authorId: author.id,
        comment: request.comment,
        status,
        components,
        hasThumbnail: request.thumbnail !== undefined,
        hasReviewable: request.reviewable !== undefined,
      };
      versions.push(version);
      if (request.comment) addNote({ kind: 'version', id: version.id }, request.comment, author);
      if (request.timeSpent) logTime({ taskId: task.id, userId: author.id, seconds: request.timeSpent, comment: `${request.asset} v${version.version}` });
      if (status) task.statusId = status.id;
      return published(version, true);
    },

    async addNote(target, content, authorId) {
      if (!content.trim()) throw errors.invalidRequest(['content: a note needs text']);
      return addNote(target, content, authorOf(authorId));
    },

    async listNotes(target) {
      return structuredClone(noteTarget(target));
    },

    async logTime(entry) {
      return logTime(entry);
    },

    async listTimeLogs(taskId) {
      taskOf(taskId);
      return timeLogs.filter((t) => t.taskId === taskId).map((t) => ({ ...t }));
    },

    async setTaskStatus(taskId, statusName) {
      const task = taskOf(taskId);
      const status = statusNamed(statusName);
      task.statusId = status.id;
      return { ...status };
    },

    createJob: features.jobs
      ? async (userId, description) => {
          authorOf(userId);
          const job: MemoryJob = { id: randomUUID(), userId, description, status: 'queued', fraction: 0 };
          jobs.push(job);
          return {
            id: job.id,
            async update(progress) {
              if (progress.status) job.status = progress.status;
              if (progress.description !== undefined) job.description = progress.description;
              if (progress.fraction !== undefined) job.fraction = Math.min(1, Math.max(0, progress.fraction));
            },
          };
        }
      : undefined,

    async close() {
      closeAll();
    },
  };
  return tracker;
}
