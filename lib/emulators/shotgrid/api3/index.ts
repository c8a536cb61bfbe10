/**
 * `POST /api3/json`, the JSON-RPC API the official Python client speaks:
 * `{method_name, params: [auth, args]}` answered `{results}`, failures as
 * HTTP 200 `{exception: true, message, error_code}` (102 is authentication).
 * Its upload forms live under `/upload/`.
 */
import { badRequest, SgError } from '../errors.ts';
import { SERVER_VERSION } from '../rest/router.ts';
import { json, jsonBody, type Reply, type Request } from '../server/http.ts';
import type { Site } from '../site.ts';
import { batch, create, read, remove, revive, schemaEntityRead, schemaFieldCreate, schemaFieldRead, schemaRead, summarizeCall, update, type Args } from './methods.ts';
import { uploadRoute } from './uploads.ts';

export interface RpcOptions {
  /** `storage` (default): uploads go PUT to a storage URL, as on cloud sites; `direct`: the file is posted in the form. */
  uploads: 'storage' | 'direct';
}

function info(options: RpcOptions): Record<string, unknown> {
  return {
    version: SERVER_VERSION,
    full_version: [...SERVER_VERSION, 0],
    user_authentication_method: 'default',
    api_max_entities_per_page: 500,
    s3_direct_uploads_enabled: options.uploads === 'storage',
    s3_enabled_upload_types: options.uploads === 'storage' ? { '*': ['*'] } : {},
  };
}

function call(site: Site, method: string, auth: Record<string, unknown>, args: unknown): unknown {
  const actor = site.auth.rpc(auth);
  const a = (args ?? {}) as Args;
  switch (method) {
    case 'read':
      return read(site, a);
    case 'create':
      return create(site, actor, a);
    case 'update':
      return update(site, actor, a);
    case 'delete':
      return remove(site, actor, a);
    case 'revive':
      return revive(site, actor, a);
    case 'batch':
      return batch(site, actor, args);
    case 'summarize':
      return summarizeCall(site, a);
    case 'schema_read':
      return schemaRead(site);
    case 'schema_entity_read':
      return schemaEntityRead(site);
    case 'schema_field_read':
      return schemaFieldRead(site, a);
    case 'schema_field_create':
      return schemaFieldCreate(site, a);
    case 'get_session_token':
      return { session_id: site.auth.sessionToken(actor) };
    case 'preferences_read':
      return {};
    default:
      throw badRequest(`Unknown method ${JSON.stringify(method)}.`, { method_name: method });
  }
}

export async function rpcRoute(site: Site, req: Request, options: RpcOptions = { uploads: 'storage' }): Promise<Reply> {
  if (req.url.pathname.startsWith('/upload/')) return uploadRoute(site, req);
  try {
    const body = (await jsonBody(req)) as { method_name?: unknown; params?: unknown };
    const method = String(body.method_name ?? '');
    if (method === 'info') return json(200, { results: info(options) });
    const params = Array.isArray(body.params) ? body.params : [];
    const auth = params[0];
    if (!auth || typeof auth !== 'object') throw new SgError(400, 102, 'Missing or invalid authentication arguments');
    return json(200, { results: call(site, method, auth as Record<string, unknown>, params[1]) });
  } catch (err) {
    if (err instanceof SgError) return json(200, err.toRpc());
    throw err;
  }
}
