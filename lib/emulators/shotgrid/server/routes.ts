/**
 * The emulator's HTTP surface on one port: the REST API (`/api/v1`,
 * `/api/v1.1`), the JSON-RPC API (`/api3/json`) and its upload forms
 * (`/upload/…`), storage PUT targets (`/_storage/…`), file downloads
 * (`/file_serve/attachment/<id>`), and `/_emulator/faults`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { rpcRoute, type RpcOptions } from '../api3/index.ts';
import { SgError } from '../errors.ts';
import { restRoute } from '../rest/router.ts';
import type { Site } from '../site.ts';
import { htmlErrorPage, reasonOf, type FaultInjector, type FaultRoute } from './faults.ts';
import { json, jsonBody, toRequest, write, type Reply, type Request } from './http.ts';

function failure(err: unknown): Reply {
  if (err instanceof SgError) return json(err.status, err.toEnvelope());
  return json(500, new SgError(500, 103, 'Shotgun Server Error', { detail: (err as Error).message }).toEnvelope());
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After');
}

async function storagePut(site: Site, req: Request, parts: string[]): Promise<Reply> {
  const [id = '', part = '0'] = parts;
  const etag = site.uploads.put(id, Number(part), await req.body());
  return { status: 200, text: '', headers: { ETag: etag } };
}

async function download(site: Site, id: string): Promise<Reply> {
  const file = await site.uploads.read(Number(id));
  if (!file) return { status: 404, text: `No attachment ${id}.` };
  return { status: 200, bytes: file.bytes, type: file.contentType, headers: { 'Content-Disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"` } };
}

async function faultSettings(site: Site, faults: FaultInjector, req: Request): Promise<Reply> {
  const name = req.headers['sg-script-name'];
  if (name !== undefined) site.auth.script(name, req.headers['sg-script-key']);
  else site.auth.bearer(req.headers.authorization);
  if (req.method === 'POST') {
    const update = await jsonBody(req);
    if (update === null) faults.clear();
    else faults.set(update as never);
  }
  return json(200, faults.get());
}

export function createRoutes(site: Site, faults: FaultInjector, rpc: RpcOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  function injected(route: FaultRoute, req: IncomingMessage, res: ServerResponse): boolean {
    const fault = faults.next(route);
    if (!fault.fail) return false;
    if (fault.failWith === 'reset') {
      req.socket.destroy();
      return true;
    }
    const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : undefined;
    if (fault.failWith === 'html') write(res, { status: fault.status, text: htmlErrorPage(fault.status), type: 'text/html', ...(headers ? { headers } : {}) });
    else write(res, json(fault.status, new SgError(fault.status, 103, reasonOf(fault.status), { detail: 'Injected failure.' }).toEnvelope(), headers));
    return true;
  }

  async function route(req: Request, raw: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
    const path = req.url.pathname;
    const parts = path.split('/').filter(Boolean);
    if (path === '/_emulator/faults') return faultSettings(site, faults, req);
    if (faults.latencyMs) await delay(faults.latencyMs);
    const prefix = /^\/api\/v1(\.1)?(?=\/|$)/.exec(path)?.[0];
    if (prefix) return injected('api', raw, res) ? undefined : restRoute(site, req, prefix);
    if (path === '/api3/json' && req.method === 'POST') return injected('api', raw, res) ? undefined : rpcRoute(site, req, rpc);
    if (parts[0] === '_storage' && req.method === 'PUT') return injected('upload', raw, res) ? undefined : storagePut(site, req, parts.slice(1));
    if (parts[0] === 'upload' && req.method !== 'PUT') return injected('upload', raw, res) ? undefined : rpcRoute(site, req, rpc);
    if (parts[0] === 'file_serve' && parts[1] === 'attachment' && parts[2] && req.method === 'GET') return injected('download', raw, res) ? undefined : download(site, parts[2]);
    throw new SgError(404, 103, 'Not Found', { detail: `No route for ${req.method} ${path}.` });
  }

  return async (raw, res) => {
    cors(raw, res);
    if (raw.method === 'OPTIONS') return void res.writeHead(204).end();
    const req = toRequest(raw);
    let reply: Reply | undefined;
    try {
      reply = await route(req, raw, res);
    } catch (err) {
      reply = failure(err);
    }
    if (reply && !res.headersSent && !raw.socket.destroyed) write(res, reply);
  };
}
