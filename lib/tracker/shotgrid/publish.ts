/**
 * Publishing a version on ShotGrid, idempotently although ShotGrid enforces no
 * uniqueness: every record a publish makes carries its key in the key field
 * (`sg_handoff_key`), and the key is looked up before anything is created.
 *
 *   1. Reads, together: the key, the task, the statuses, the author, the key
 *      field in the schema. Everything is checked before anything is written.
 *   2. The Version (code `<asset>_v<NNN>`, frames, frame rate, paths, task,
 *      shot, author), its key marked pending.
 *   3. One atomic batch: a PublishedFile per component (with its
 *      PublishedFileType and path), the Note on the version and task, the
 *      TimeLog and the task status.
 *   4. The thumbnail and review movie uploads, then the key marked complete.
 *
 * A repeat with the same key returns the complete version and writes nothing;
 * a pending one (an earlier run stopped part-way) is finished: the batch is
 * sent only if none of it exists, and only missing uploads are sent. A create
 * that failed ambiguously is looked up by key before it is tried again.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError, isRetryable } from '../../core/errors.ts';
import { fileNotFound, idempotencyConflict, statusUnknown, taskNotFound, userNotFound, versionExists } from '../errors.ts';
import { assertPublishRequest } from '../publish-request.ts';
import type { ComponentInfo, PublishedVersion, PublishRequest, Status } from '../types.ts';
import { formatDate, link, linkOf } from './client/index.ts';
import type { BatchRequest, FlatRecord, ShotgridClient } from './client/index.ts';
import type { Directory } from './directory.ts';
import { sgId, str } from './mapping.ts';
import type { ResolvedShotgridOptions } from './options.ts';
import { assetIdOf, componentsOf, parseVersionCode, publishedFileTypeOf, versionCode } from './versions.ts';

export const KEYED_TYPES = ['Version', 'PublishedFile', 'Note', 'TimeLog'] as const;
const pending = (key: string): string => `pending:${key}`;

export interface PublishDeps {
  client: ShotgridClient;
  directory: Directory;
  options: ResolvedShotgridOptions;
  /** The client that writes as `login` (sudo) when the tracker acts as authors. */
  writerFor(login: string | undefined): Promise<ShotgridClient>;
}

async function mustRead(file: string | undefined, what: string): Promise<void> {
  if (file === undefined) return;
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch (err) {
    throw fileNotFound(what, file, err);
  }
}

/**
 * Fails with SHOTGRID_FIELD_MISSING naming every entity type that lacks the key
 * field, unless `create` is set: then the field is added (the script needs admin rights).
 */
export async function checkKeyField(client: ShotgridClient, field: string, create = false): Promise<void> {
  const missing: string[] = [];
  for (const [i, fields] of (await Promise.all(KEYED_TYPES.map((t) => client.schema.fields(t)))).entries()) if (!fields.has(field)) missing.push(KEYED_TYPES[i]!);
  const displayName = field.replace(/^sg_/, '').split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  if (missing.length && create) {
    for (const type of missing) await client.schema.createField(type, 'text', displayName);
    return checkKeyField(client, field, false);
  }
  if (missing.length) {
    throw new HandoffError('SHOTGRID_FIELD_MISSING', `ShotGrid has no text field ${field} on ${missing.join(', ')}; publishes store their key there`, {
      details: { field, entityTypes: missing },
      hint: `Add a text field named "${displayName}" (${field}) to ${missing.join(', ')} in ShotGrid's field manager, or set tracker.shotgrid.keyField to an existing one.`,
    });
  }
}

export async function publishVersion(deps: PublishDeps, request: PublishRequest): Promise<PublishedVersion> {
  const { client, directory, options } = deps;
  assertPublishRequest(request);
  await Promise.all([mustRead(request.thumbnail, 'thumbnail'), mustRead(request.reviewable?.path, 'reviewable')]);
  const key = options.keyField;
  const taskId = sgId(request.taskId);
  await checkKeyField(client, key, options.createKeyField); // the schema is read once per tracker
  const [keyed, task, statuses, author] = await Promise.all([
    client.findAll('Version', [[key, 'in', [request.idempotencyKey, pending(request.idempotencyKey)]]], { fields: ['code', 'sg_task', 'entity', key] }),
    taskId === undefined ? undefined : client.read('Task', taskId, ['content', 'entity', 'project']),
    directory.statuses(),
    request.authorId === undefined ? undefined : directory.user({ id: request.authorId }),
  ]);
  const existing = keyed[0];
  if (existing) return resume(deps, existing, request, statuses, author?.username);
  if (!task || taskId === undefined) throw taskNotFound(request.taskId);
  if (request.authorId !== undefined && !author) throw userNotFound(request.authorId);
  const status = request.status === undefined ? undefined : statuses.find((s) => s.name === request.status);
  if (request.status !== undefined && !status) throw statusUnknown(request.status, statuses.map((s) => s.name));

  const entity = linkOf(task['entity']);
  const project = linkOf(task['project'])!;
  const taken = (await client.findAll('Version', [['entity', 'is', entity ? link(entity.type, entity.id) : project], ['code', 'starts_with', `${request.asset}_v`]], { fields: ['code'] }))
    .map((v) => parseVersionCode(str(v['code'])))
    .filter((p) => p?.asset === request.asset)
    .map((p) => p!.version);
  if (request.version !== undefined && taken.includes(request.version)) throw versionExists(request.asset, request.version);
  const number = request.version ?? Math.max(0, ...taken) + 1;

  const writer = await deps.writerFor(author?.username);
  const sequence = request.components.find((c) => c.kind === 'sequence');
  const review = request.reviewable;
  const frames = review ? { first: review.frameIn, last: review.frameOut } : sequence?.kind === 'sequence' ? { first: sequence.frames.start, last: sequence.frames.end } : undefined;
  const versionData = {
    project,
    code: versionCode(request.asset, number),
    entity: entity ?? project,
    sg_task: link('Task', taskId),
    ...(author ? { user: link('HumanUser', author.id) } : {}),
    description: request.comment ?? '',
    ...(status ? { sg_status_list: status.id } : {}),
    ...(frames ? { sg_first_frame: frames.first, sg_last_frame: frames.last, frame_count: frames.last - frames.first + 1, frame_range: `${frames.first}-${frames.last}` } : {}),
    ...(review ? { sg_uploaded_movie_frame_rate: review.frameRate, sg_path_to_movie: review.path } : {}),
    ...(sequence ? { sg_path_to_frames: sequence.path } : {}),
    [key]: pending(request.idempotencyKey),
  };
  let version: FlatRecord;
  try {
    version = await writer.create('Version', versionData);
  } catch (err) {
    // The create may have happened although the answer was lost: look before trying once more.
    if (!isRetryable(err)) throw err;
    const found = (await client.findAll('Version', [[key, 'is', pending(request.idempotencyKey)]], { fields: ['code', 'sg_task', 'entity', key] }))[0];
    if (found) return resume(deps, found, request, statuses, author?.username, true);
    version = await writer.create('Version', versionData);
  }
  return finish(deps, writer, version.id, { request, status, entity: entity ?? project, project, taskId, number, authorId: author?.id, created: true });
}

interface Plan {
  request: PublishRequest;
  status: Status | undefined;
  entity: { type: string; id: number };
  project: { type: string; id: number };
  taskId: number;
  number: number;
  authorId: string | undefined;
  created: boolean;
}

/** Steps 3 and 4 for a version whose key is pending: whatever of them is missing. */
async function finish(deps: PublishDeps, writer: ShotgridClient, versionId: number, plan: Plan): Promise<PublishedVersion> {
  const { client, options } = deps;
  const { request } = plan;
  const key = options.keyField;
  // The batch is atomic: any record of it carrying the key means all of it landed.
  const landed = async (): Promise<boolean> =>
    (await Promise.all(['PublishedFile', 'Note', 'TimeLog'].map((type) => client.findOne(type, [[key, 'is', request.idempotencyKey]], ['id'])))).some(Boolean);
  if (!(await landed())) {
    const batch = await batchFor(deps, versionId, plan);
    try {
      await writer.batch(batch);
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (!(await landed())) await writer.batch(batch);
    }
  }
  const current = await client.read('Version', versionId, ['image', 'sg_uploaded_movie']);
  if (request.thumbnail && !current?.['image']) await writer.upload('Version', versionId, 'image', request.thumbnail);
  if (request.reviewable && !current?.['sg_uploaded_movie']) await writer.upload('Version', versionId, 'sg_uploaded_movie', request.reviewable.path, { displayName: path.basename(request.reviewable.path) });
  await client.update('Version', versionId, { [key]: request.idempotencyKey });
  const stored = (await componentsOf(client, [versionId], options.pageSize)).get(versionId) ?? [];
  return { id: String(versionId), version: plan.number, taskId: String(plan.taskId), assetId: assetIdOf(plan.entity, request.asset), components: ordered(stored, request), created: plan.created };
}

async function batchFor(deps: PublishDeps, versionId: number, plan: Plan): Promise<BatchRequest[]> {
  const { request, project, entity, taskId } = plan;
  const key = deps.options.keyField;
  const typeCodes = [...new Set(request.components.map((c) => publishedFileTypeOf(c.kind, c.path)))];
  const types = new Map((await deps.client.findAll('PublishedFileType', [['code', 'in', typeCodes]], { fields: ['code'] })).map((t) => [str(t['code']), t.id]));
  for (const code of typeCodes.filter((c) => !types.has(c))) types.set(code, (await deps.client.create('PublishedFileType', { code, short_name: code.toLowerCase().replace(/\s+/g, '_') })).id);
  const author = plan.authorId ? { user: link('HumanUser', plan.authorId) } : {};
  const requests: BatchRequest[] = request.components.map((c) => ({
    request_type: 'create',
    entity: 'PublishedFile',
    data: {
      project,
      code: path.basename(c.path),
      name: c.name,
      version_number: plan.number,
      path: { local_path: c.path, name: path.basename(c.path) },
      path_cache: c.path,
      published_file_type: link('PublishedFileType', types.get(publishedFileTypeOf(c.kind, c.path))!),
      task: link('Task', taskId),
      entity,
      version: link('Version', versionId),
      description: request.comment ?? '',
      [key]: request.idempotencyKey,
    },
  }));
  if (request.comment) {
    requests.push({
      request_type: 'create',
      entity: 'Note',
      data: { project, subject: versionCode(request.asset, plan.number), content: request.comment, note_links: [link('Version', versionId), entity], tasks: [link('Task', taskId)], ...author, [key]: request.idempotencyKey },
    });
  }
  if (request.timeSpent && plan.authorId) {
    requests.push({
      request_type: 'create',
      entity: 'TimeLog',
      data: { project, entity: link('Task', taskId), duration: Math.round(request.timeSpent / 60), date: formatDate(new Date()), description: request.comment ?? '', ...author, [key]: request.idempotencyKey },
    });
  }
  if (plan.status) requests.push({ request_type: 'update', entity: 'Task', record_id: taskId, data: { sg_status_list: plan.status.id } });
  return requests;
}

/** The version an earlier publish with this key made: returned as is when complete, finished when pending. */
async function resume(deps: PublishDeps, version: FlatRecord, request: PublishRequest, statuses: Status[], login: string | undefined, created = false): Promise<PublishedVersion> {
  const parsed = parseVersionCode(str(version['code']));
  const first = { taskId: String(linkOf(version['sg_task'])?.id ?? ''), asset: parsed?.asset ?? '' };
  if (first.taskId !== request.taskId || first.asset !== request.asset) throw idempotencyConflict(request.idempotencyKey, first, { taskId: request.taskId, asset: request.asset });
  const entity = linkOf(version['entity']) ?? { type: 'Project', id: 0 };
  const number = parsed?.version ?? 0;
  if (str(version[deps.options.keyField]) === request.idempotencyKey) {
    const stored = (await componentsOf(deps.client, [version.id], deps.options.pageSize)).get(version.id) ?? [];
    return { id: String(version.id), version: number, taskId: first.taskId, assetId: assetIdOf(entity, request.asset), components: ordered(stored, request), created };
  }
  const task = await deps.client.read('Task', Number(first.taskId), ['project']);
  const status = request.status === undefined ? undefined : statuses.find((s) => s.name === request.status);
  const plan: Plan = { request, status, entity, project: linkOf(task?.['project']) ?? entity, taskId: Number(first.taskId), number, authorId: request.authorId, created };
  return finish(deps, await deps.writerFor(login), version.id, plan);
}

function ordered(stored: ComponentInfo[], request: PublishRequest): ComponentInfo[] {
  const at = (name: string): number => request.components.findIndex((c) => c.name === name);
  return stored.filter((c) => at(c.name) >= 0).sort((a, b) => at(a.name) - at(b.name));
}
