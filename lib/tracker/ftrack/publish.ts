/**
 * Publishing a version in three requests: (1) one batch of reads (the key,
 * the task, asset type, asset, statuses); (2) one transactional batch creating
 * asset, version, publish key, components, note, time log and status change,
 * with the upload targets; then the bytes; (3) one batch registering locations,
 * review metadata and thumbnail, and marking the publish complete.
 *
 * Idempotent by key: the key is stored in the version's metadata in batch 2,
 * so a retry finds the version, uploads only what is missing and finishes it.
 * A create is never blindly repeated: after a failed batch 2 the key is looked
 * up again before trying once more.
 */
import { randomUUID } from 'node:crypto';
import { HandoffError, isRetryable } from '../../core/errors.ts';
import type { PublishedVersion, PublishRequest } from '../types.ts';
import { q } from './connection.ts';
import type { FtrackConnection, Operation, Row } from './connection.ts';
import { LOCATIONS, str } from './mapping.ts';
import type { ResolvedFtrackOptions } from './options.ts';
import { componentOperation, planComponents, uploadSourceOf } from './publish-plan.ts';
import type { PlannedComponent } from './publish-plan.ts';
import { finishOperations, putBytes, uploadMetadataOperation } from './upload.ts';
import type { UploadMetadata } from './upload.ts';

export const PUBLISH_KEY = 'handoff.publish';
export const PUBLISH_STATE = 'handoff.publish-state';

const create = (type: string, data: Record<string, unknown>): Operation => ({ action: 'create', entity_type: type, entity_data: { __entity_type__: type, ...data } });
const update = (type: string, key: string | string[], data: Record<string, unknown>): Operation => ({
  action: 'update',
  entity_type: type,
  entity_key: key,
  entity_data: { __entity_type__: type, ...data },
});

function failure(code: string, message: string, hint: string, details: Record<string, unknown>): HandoffError {
  return new HandoffError(code, message, { hint, details });
}

export async function publishVersion(conn: FtrackConnection, options: ResolvedFtrackOptions, myUserId: () => Promise<string>, request: PublishRequest): Promise<PublishedVersion> {
  const planned = await planComponents(request, options);
  const findKey = async (): Promise<string | undefined> =>
    str((await conn.query(q`select parent_id from Metadata where key is ${PUBLISH_KEY} and value is ${request.idempotencyKey}`))[0]?.['parent_id']) || undefined;

  const assetType = request.assetType ?? options.defaultAssetType;
  const [keyed, tasks, types, assets, statuses] = await conn.queries([
    q`select parent_id from Metadata where key is ${PUBLISH_KEY} and value is ${request.idempotencyKey}`,
    q`select id, name, parent_id, project_id from Task where id is ${request.taskId}`,
    q`select id, name, short from AssetType where short is ${assetType} or name is ${assetType}`,
    q`select id, name, context_id from Asset where name is ${request.asset}`,
    'select id, name from Status',
  ]);
  const existing = str(keyed?.[0]?.['parent_id']);
  if (existing) return resume(conn, existing, planned, false);

  const task = tasks?.[0];
  if (!task) throw failure('FTRACK_NOT_FOUND', `No task with id ${request.taskId} in ftrack.`, 'Publish to a task id that exists.', { taskId: request.taskId });
  const status = request.status ? statuses?.find((s) => str(s['name']).toLowerCase() === request.status?.toLowerCase()) : undefined;
  if (request.status && !status) {
    throw failure('FTRACK_STATUS_UNKNOWN', `ftrack has no status named "${request.status}".`, 'Use one of the statuses listTasks/listStatuses returns.', { status: request.status });
  }
  const asset = assets?.find((a) => str(a['context_id']) === str(task['parent_id']));
  if (asset && request.version !== undefined) {
    const clash = await conn.query(q`select id from AssetVersion where asset_id is ${str(asset['id'])} and version is ${request.version}`);
    if (clash.length) {
      throw failure('FTRACK_VERSION_EXISTS', `Version ${request.version} of ${request.asset} already exists.`, 'Leave the version out to take the next free number.', {
        asset: request.asset,
        version: request.version,
      });
    }
  }

  const userId = request.authorId ?? (await myUserId());
  const versionId = randomUUID();
  const operations: Operation[] = [];
  let typeId = str(types?.[0]?.['id']);
  if (!typeId) operations.push(create('AssetType', { id: (typeId = randomUUID()), name: assetType, short: assetType }));
  let assetId = str(asset?.['id']);
  if (!assetId) operations.push(create('Asset', { id: (assetId = randomUUID()), name: request.asset, context_id: str(task['parent_id']), type_id: typeId }));
  const versionIndex = operations.length;
  operations.push(
    create('AssetVersion', {
      id: versionId,
      asset_id: assetId,
      task_id: request.taskId,
      user_id: userId,
      comment: request.comment ?? '',
      ...(request.version !== undefined ? { version: request.version } : {}),
      ...(status ? { status_id: str(status['id']) } : {}),
    }),
    create('Metadata', { parent_id: versionId, parent_type: 'AssetVersion', key: PUBLISH_KEY, value: request.idempotencyKey }),
    create('Metadata', { parent_id: versionId, parent_type: 'AssetVersion', key: PUBLISH_STATE, value: 'pending' }),
    ...planned.map((c) => componentOperation(c, versionId)),
    ...planned.filter((c) => !c.upload).map((c) => create('ComponentLocation', { component_id: c.id, location_id: LOCATIONS.unmanaged, resource_identifier: c.path })),
  );
  if (request.comment) operations.push(create('Note', { content: request.comment, parent_id: versionId, parent_type: 'AssetVersion', user_id: userId }));
  if (request.timeSpent) {
    const start = new Date(Date.now() - request.timeSpent * 1000);
    operations.push(create('Timelog', { context_id: request.taskId, user_id: userId, duration: request.timeSpent, start, comment: request.comment ?? '' }));
  }
  if (status) operations.push(update('Task', request.taskId, { status_id: str(status['id']) }));
  const uploads = planned.filter((c) => c.upload);
  const metadataStart = operations.length;
  operations.push(...uploads.map((c) => uploadMetadataOperation(uploadSourceOf(c))));

  let results: Row[];
  try {
    results = await conn.call<Row>(operations);
  } catch (err) {
    // The batch is one transaction: either it happened or nothing did. Ask before trying again.
    if (!isRetryable(err)) throw err;
    const found = await findKey();
    if (found) return resume(conn, found, planned, true);
    results = await conn.call<Row>(operations);
  }
  const metadata = results.slice(metadataStart) as unknown as UploadMetadata[];
  const version = Number((results[versionIndex]?.['data'] as Row | undefined)?.['version']);
  await completeUploads(conn, versionId, uploads, metadata);
  return { id: versionId, version, taskId: request.taskId, assetId, components: planned.map((c) => ({ id: c.id, name: c.name })), created: true };
}

/** Sends the bytes, then registers them with review metadata and thumbnail, and marks the publish complete. */
async function completeUploads(conn: FtrackConnection, versionId: string, uploads: PlannedComponent[], metadata: UploadMetadata[]): Promise<void> {
  const finish: Operation[] = [];
  for (const [i, c] of uploads.entries()) {
    const meta = metadata[i];
    if (!meta) throw new HandoffError('FTRACK_UPLOAD_FAILED', `ftrack returned no upload target for ${c.name}.`, { retryable: true, details: { componentId: c.id } });
    finish.push(...finishOperations(await putBytes(uploadSourceOf(c), meta)));
    if (c.reviewMeta) finish.push(create('Metadata', { parent_id: c.id, parent_type: 'FileComponent', key: 'ftr_meta', value: JSON.stringify(c.reviewMeta) }));
    if (c.isThumbnail) finish.push(update('AssetVersion', versionId, { thumbnail_id: c.id }));
  }
  finish.push(update('Metadata', [versionId, PUBLISH_STATE], { value: 'complete' }));
  await conn.call(finish);
}

/** Finishes (or just returns) the version an earlier publish with the same key created. */
async function resume(conn: FtrackConnection, versionId: string, planned: PlannedComponent[], created: boolean): Promise<PublishedVersion> {
  const [versions, components, locations, meta] = await conn.queries([
    q`select id, version, asset_id, task_id from AssetVersion where id is ${versionId}`,
    q`select id, name from Component where version_id is ${versionId}`,
    q`select component_id from ComponentLocation where component.version_id is ${versionId}`,
    q`select value from Metadata where parent_id is ${versionId} and key is ${PUBLISH_STATE}`,
  ]);
  const version = versions?.[0] ?? {};
  const ids = new Map((components ?? []).map((c) => [str(c['name']), str(c['id'])]));
  const located = new Set((locations ?? []).map((l) => str(l['component_id'])));
  if (str(meta?.[0]?.['value']) !== 'complete') {
    const missing = planned.filter((c) => c.upload && ids.has(c.name) && !located.has(ids.get(c.name) ?? '')).map((c) => ({ ...c, id: ids.get(c.name) ?? c.id }));
    const metadata = missing.length ? await conn.call<UploadMetadata>(missing.map((c) => uploadMetadataOperation(uploadSourceOf(c)))) : [];
    await completeUploads(conn, versionId, missing, metadata);
  }
  return {
    id: versionId,
    version: Number(version['version']),
    taskId: str(version['task_id']),
    assetId: str(version['asset_id']),
    components: [...ids].map(([name, id]) => ({ id, name })),
    created,
  };
}
