/**
 * Publishing a version in three requests: (1) one batch of reads (the key,
 * task, author, asset type, asset, statuses, a clashing version number);
 * (2) one transactional batch creating asset, version, publish key, components
 * and their locations, note, time log and status change, with the upload
 * targets; then the bytes; (3) one batch registering the uploads, review
 * metadata and thumbnail, and marking the publish complete. Everything is
 * checked before anything is written.
 *
 * Idempotent by key: the key is stored in the version's metadata in batch 2,
 * so a repeat finds the version, uploads only what is missing and finishes it.
 * A create is never blindly repeated: after a failed batch 2 the key is looked
 * up again before trying once more.
 */
import { randomUUID } from 'node:crypto';
import { HandoffError, isRetryable } from '../../core/errors.ts';
import { idempotencyConflict, statusUnknown, taskNotFound, userNotFound, versionExists } from '../errors.ts';
import type { PublishedVersion, PublishRequest } from '../types.ts';
import { q } from './connection.ts';
import type { FtrackConnection, Operation, Row } from './connection.ts';
import { LOCATIONS, str, toStatus } from './mapping.ts';
import type { ResolvedFtrackOptions } from './options.ts';
import { componentOperation, infoOf, planComponents, uploadSourceOf } from './publish-plan.ts';
import type { PlannedComponent } from './publish-plan.ts';
import { finishOperations, putBytes, uploadMetadataOperation } from './upload.ts';
import type { UploadMetadata } from './upload.ts';
import { componentsOf, publicInfo, STATUS_QUERY } from './versions.ts';

export const PUBLISH_KEY = 'handoff.publish';
export const PUBLISH_STATE = 'handoff.publish-state';

const create = (type: string, data: Record<string, unknown>): Operation => ({ action: 'create', entity_type: type, entity_data: { __entity_type__: type, ...data } });
const update = (type: string, key: string[], data: Record<string, unknown>): Operation => ({
  action: 'update',
  entity_type: type,
  entity_key: key,
  entity_data: { __entity_type__: type, ...data },
});

export async function publishVersion(conn: FtrackConnection, options: ResolvedFtrackOptions, request: PublishRequest): Promise<PublishedVersion> {
  const planned = await planComponents(request);
  const keyQuery = q`select parent_id from Metadata where key is ${PUBLISH_KEY} and value is ${request.idempotencyKey}`;
  const assetType = request.assetType ?? options.defaultAssetType;
  const [keyed, tasks, types, assets, statusRows, authors, taken] = await conn.queries([
    keyQuery,
    q`select id, name, parent_id, project_id from Task where id is ${request.taskId}`,
    q`select id, name, short from AssetType where short is ${assetType} or name is ${assetType}`,
    q`select id, name, context_id from Asset where name is ${request.asset}`,
    STATUS_QUERY,
    request.authorId ? q`select id from User where id is ${request.authorId}` : q`select id from User where username is ${options.user}`,
    q`select id, asset_id from AssetVersion where asset.name is ${request.asset} and version is ${request.version ?? -1}`,
  ]);
  const existing = str(keyed?.[0]?.['parent_id']);
  if (existing) return resume(conn, existing, request, planned, false);

  const task = tasks?.[0];
  if (!task) throw taskNotFound(request.taskId);
  const userId = str(authors?.[0]?.['id']);
  if (request.authorId && !userId) throw userNotFound(request.authorId);
  if (!userId) throw new HandoffError('FTRACK_NOT_FOUND', `The API user ${options.user} has no User in ftrack.`, { hint: 'Use the user name of an ftrack user as the API user.' });
  const statuses = (statusRows ?? []).map(toStatus);
  const status = request.status === undefined ? undefined : statuses.find((s) => s.name === request.status);
  if (request.status !== undefined && !status) throw statusUnknown(request.status, statuses.map((s) => s.name));
  const asset = assets?.find((a) => str(a['context_id']) === str(task['parent_id']));
  if (asset && request.version !== undefined && taken?.some((v) => str(v['asset_id']) === str(asset['id']))) {
    throw versionExists(request.asset, request.version);
  }

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
      ...(status ? { status_id: status.id } : {}),
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
  if (status) operations.push(update('Task', [request.taskId], { status_id: status.id }));
  const uploads = planned.filter((c) => c.upload);
  const metadataStart = operations.length;
  operations.push(...uploads.map((c) => uploadMetadataOperation(uploadSourceOf(c))));

  let results: Row[];
  try {
    results = await conn.call<Row>(operations);
  } catch (err) {
    // The batch is one transaction: either all of it happened or nothing did. Ask before trying again.
    if (!isRetryable(err)) throw err;
    const found = str((await conn.query(keyQuery))[0]?.['parent_id']);
    if (found) return resume(conn, found, request, planned, true);
    results = await conn.call<Row>(operations);
  }
  const version = Number((results[versionIndex]?.['data'] as Row | undefined)?.['version']);
  await completeUploads(conn, versionId, uploads, results.slice(metadataStart) as unknown as UploadMetadata[]);
  const components = planned.filter((c) => !c.upload).map(infoOf);
  return { id: versionId, version, taskId: request.taskId, assetId, components, created: true };
}

/** Sends the bytes, then registers them with review metadata and thumbnail, and marks the publish complete. */
async function completeUploads(conn: FtrackConnection, versionId: string, uploads: PlannedComponent[], metadata: UploadMetadata[]): Promise<void> {
  const finish: Operation[] = [];
  for (const [i, c] of uploads.entries()) {
    const target = metadata[i];
    if (!target) {
      throw new HandoffError('FTRACK_UPLOAD_FAILED', `ftrack returned no upload target for ${c.name}.`, {
        retryable: true,
        hint: 'Publish again with the same key: the version is reused and only missing files are sent.',
        details: { versionId, component: c.name },
      });
    }
    finish.push(...finishOperations(await putBytes(uploadSourceOf(c), target)));
    if (c.reviewMeta) finish.push(create('Metadata', { parent_id: c.id, parent_type: 'FileComponent', key: 'ftr_meta', value: JSON.stringify(c.reviewMeta) }));
    if (c.isThumbnail) finish.push(update('AssetVersion', [versionId], { thumbnail_id: c.id }));
  }
  finish.push(update('Metadata', [versionId, PUBLISH_STATE], { value: 'complete' }));
  await conn.call(finish);
}

/** Finishes (or just returns) the version an earlier publish with the same key created. */
async function resume(conn: FtrackConnection, versionId: string, request: PublishRequest, planned: PlannedComponent[], created: boolean): Promise<PublishedVersion> {
  const [versions, state] = await conn.queries([
    q`select id, version, asset_id, asset.name, task_id from AssetVersion where id is ${versionId}`,
    q`select value from Metadata where parent_id is ${versionId} and key is ${PUBLISH_STATE}`,
  ]);
  const version = versions?.[0] ?? {};
  const first = { taskId: str(version['task_id']), asset: str((version['asset'] as Row | undefined)?.['name']) };
  if (first.taskId !== request.taskId || first.asset !== request.asset) {
    throw idempotencyConflict(request.idempotencyKey, first, { taskId: request.taskId, asset: request.asset });
  }
  const stored = await componentsOf(conn, [versionId]);
  if (str(state?.[0]?.['value']) !== 'complete') {
    const missing = planned
      .filter((c) => c.upload)
      .flatMap((c) => {
        const s = stored.find((x) => x.name === c.name);
        return s && !s.locations.includes(LOCATIONS.server) ? [{ ...c, id: s.id }] : [];
      });
    const targets = missing.length ? await conn.call<UploadMetadata>(missing.map((c) => uploadMetadataOperation(uploadSourceOf(c)))) : [];
    await completeUploads(conn, versionId, missing, targets);
  }
  const order = (name: string): number => {
    const at = request.components.findIndex((c) => c.name === name);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  const components = stored.filter((c) => request.components.some((r) => r.name === c.name)).sort((a, b) => order(a.name) - order(b.name));
  return { id: versionId, version: Number(version['version']), taskId: first.taskId, assetId: str(version['asset_id']), components: components.map(publicInfo), created };
}
