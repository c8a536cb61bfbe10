/**
 * One handler per `action` of POST /api. Each returns the result object the
 * real server puts at the same position of the response array.
 */
import { SERVER_VERSION } from '../constants.ts';
import { ApiError, validationError } from '../errors.ts';
import { schemaHash, schemas } from '../model/schemas.ts';
import type { EntityRecord } from '../model/index.ts';
import { executeQuery, parseQuery, serialize, serializeScalars, projectionTree } from '../query/index.ts';
import { createEntity, deleteEntity, updateEntity } from '../store/index.ts';
import type { ApiContext, Operation } from './context.ts';
import { encodeMedia } from './encode-media.ts';

type Handler = (op: Operation, ctx: ApiContext) => unknown;

function text(op: Operation, name: string): string {
  const value = op[name];
  if (typeof value !== 'string' || !value) throw validationError(`"${name}" must be a non-empty string for action ${String(op.action)}.`);
  return value;
}

function entityData(op: Operation): Record<string, unknown> {
  const data = op.entity_data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw validationError('"entity_data" must be an object.');
  return data as Record<string, unknown>;
}

/** What create and update answer with: every stored scalar (views answer with their row). */
function answer(ctx: ApiContext, record: EntityRecord): Record<string, unknown> {
  return record.__entity_type__.endsWith('CustomAttributeValue') && record.key !== undefined
    ? serialize(ctx.graph, record, projectionTree([['configuration_id'], ['entity_id'], ['key'], ['value']]))
    : serializeScalars(ctx.graph, record);
}

const handlers: Record<string, Handler> = {
  query_server_information: (_op, ctx) => ({
    version: SERVER_VERSION,
    schema_hash: schemaHash,
    is_timezone_support_enabled: true,
    storage_scenario: { scenario: 'ftrack.automatic', data: {} },
    user_information: {
      id: ctx.user.id,
      username: ctx.user.username,
      first_name: ctx.user.first_name,
      last_name: ctx.user.last_name,
      restricted_user: false,
    },
  }),
  query_schemas: () => schemas,
  query: (op, ctx) => ({ action: 'query', ...executeQuery(ctx.graph, parseQuery(text(op, 'expression'))) }),
  create: (op, ctx) => {
    const record = createEntity(ctx.graph, op.entity_type, entityData(op));
    return { action: 'create', data: answer(ctx, record) };
  },
  update: (op, ctx) => {
    const record = updateEntity(ctx.graph, op.entity_type, op.entity_key, entityData(op));
    return { action: 'update', data: answer(ctx, record) };
  },
  delete: (op, ctx) => {
    deleteEntity(ctx.graph, op.entity_type, op.entity_key);
    return { action: 'delete', data: true };
  },
  get_upload_metadata: (op, ctx) => {
    const componentId = text(op, 'component_id');
    // The Python client asks before committing the component's create: an id
    // no entity holds yet gets its URL; the bytes are served once it exists.
    const existing = ctx.graph.byId(componentId);
    if (existing && existing.system_type === undefined) throw validationError(`${existing.__entity_type__} ${JSON.stringify(componentId)} is not a component.`);
    if (!existing && !/^[A-Za-z0-9-]{1,64}$/.test(componentId)) throw validationError(`A new component id must be letters, digits and dashes, not ${JSON.stringify(componentId)}.`);
    const size = Number(op.file_size);
    if (!Number.isInteger(size) || size < 0) throw validationError(`"file_size" must be a whole number of bytes, not ${JSON.stringify(op.file_size)}.`);
    const fileName = text(op, 'file_name');
    const parts = op.parts === null || op.parts === undefined ? undefined : Number(op.parts);
    return parts === undefined ? ctx.uploads.single(ctx.baseUrl, componentId, fileName, size) : ctx.uploads.multipart(ctx.baseUrl, componentId, size, parts);
  },
  complete_multipart_upload: async (op, ctx) => {
    const parts = Array.isArray(op.parts) ? (op.parts as Record<string, unknown>[]) : [];
    const componentId = await ctx.uploads.complete(text(op, 'upload_id'), parts);
    return { action: 'complete_multipart_upload', component_id: componentId, url: `${ctx.baseUrl}/component/get?id=${componentId}` };
  },
  encode_media: (op, ctx) => encodeMedia(op, ctx),
};

export function handlerFor(action: unknown): Handler {
  const handler = typeof action === 'string' && Object.hasOwn(handlers, action) ? handlers[action] : undefined;
  if (!handler) {
    throw new ApiError('FTRACK_EMULATOR_INVALID_ACTION', `Invalid action u'${String(action)}'`, { details: { action } });
  }
  return handler;
}
