/**
 * The emulator's HTTP surface: POST /api, upload PUT targets, component
 * download and thumbnails, the event hub's socket.io paths, and
 * /_emulator/faults for changing fault injection from another process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { mimeOf, type ApiDispatcher, type BlobStore, type UploadTargets } from '../api/index.ts';
import type { FtrackEventHub } from '../event-hub/index.ts';
import type { EntityRecord } from '../model/index.ts';
import { HTML_ERROR_PAGE, type FaultInjector, type FaultRoute } from './faults.ts';
import { placeholderThumbnail, thumbnailOf } from './placeholder.ts';

export interface RouteDeps {
  dispatcher: ApiDispatcher;
  uploads: UploadTargets;
  blobs: BlobStore;
  faults: FaultInjector;
  hub: FtrackEventHub | undefined;
  findComponent(id: string): EntityRecord | undefined;
}

const MAX_BODY = 512 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error(`Request body exceeds ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', 'ETag');
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown): void => send(res, status, JSON.stringify(body));

export function createRoutes(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { dispatcher, uploads, blobs, faults, hub } = deps;

  /** Answers the request with an injected failure when the fault settings say so. */
  function injected(route: FaultRoute, req: IncomingMessage, res: ServerResponse): boolean {
    const fault = faults.next(route);
    if (!fault.fail) return false;
    if (fault.failWith === 'reset') req.socket.destroy();
    else if (fault.failWith === 'html') send(res, fault.status, HTML_ERROR_PAGE(fault.status), 'text/html');
    else json(res, fault.status, { exception: 'ServerError', content: 'Injected server failure.', error_code: null });
    return true;
  }

  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (injected('api', req, res)) return;
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch (err) {
      return json(res, 400, { exception: 'ServerError', content: `Request body is not JSON: ${(err as Error).message}`, error_code: null });
    }
    const answer = await dispatcher.handle(req.headers, body);
    json(res, answer.status, answer.body);
  }

  async function download(req: IncomingMessage, res: ServerResponse, url: URL, thumbnail: boolean): Promise<void> {
    if (injected('download', req, res)) return;
    const user = url.searchParams.get('username') ?? req.headers['ftrack-user'];
    const key = url.searchParams.get('apiKey') ?? req.headers['ftrack-api-key'];
    if (!dispatcher.authenticate(user, key)) return json(res, 401, { exception: 'InvalidCredentialsError', content: 'Invalid credentials.', error_code: 'api_credentials_invalid' });
    const id = url.searchParams.get('id') ?? '';
    if (thumbnail && !id) return send(res, 200, await placeholderThumbnail(), 'image/png');
    const component = deps.findComponent(id);
    const bytes = component ? await blobs.get(id) : undefined;
    if (!component || !bytes) return json(res, 404, { exception: 'NoResultFoundError', content: `No data for component ${id}.`, error_code: null });
    if (thumbnail) {
      const size = Number(url.searchParams.get('size'));
      const image = await thumbnailOf(bytes, Number.isInteger(size) && size > 0 && size <= 4096 ? size : undefined);
      return send(res, 200, image.bytes, image.type);
    }
    const fileName = `${String(component.name)}${String(component.file_type ?? '')}`;
    res.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`);
    send(res, 200, bytes, mimeOf(fileName));
  }

  async function faultSettings(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!dispatcher.authenticate(req.headers['ftrack-user'], req.headers['ftrack-api-key'])) return json(res, 401, { error: 'Invalid credentials.' });
    if (req.method === 'POST') {
      try {
        const update = JSON.parse((await readBody(req)).toString('utf8')) as unknown;
        if (update === null) faults.clear();
        else faults.set(update as never);
      } catch (err) {
        return json(res, 400, { error: (err as Error).message });
      }
    }
    json(res, 200, faults.get());
  }

  return async (req, res) => {
    cors(req, res);
    if (hub?.handleRequest(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (route === 'GET /_emulator/faults' || route === 'POST /_emulator/faults') return faultSettings(req, res);
    if (faults.latencyMs) await delay(faults.latencyMs);
    if (route === 'POST /api') return api(req, res);
    if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
      if (injected('upload', req, res)) return;
      const md5 = req.headers['content-md5'];
      const outcome = await uploads.put(url.pathname.slice('/upload/'.length), await readBody(req), typeof md5 === 'string' ? md5 : undefined);
      if (!outcome.ok) return send(res, outcome.status, outcome.message, 'text/plain');
      res.setHeader('ETag', `"${outcome.etag}"`);
      return send(res, 200, '', 'text/plain');
    }
    if (route === 'GET /component/get') return download(req, res, url, false);
    if (route === 'GET /component/thumbnail') return download(req, res, url, true);
    if (route === 'GET /img/thumbnail2.png') return send(res, 200, await placeholderThumbnail(), 'image/png');
    json(res, 404, { exception: 'ServerError', content: `No route for ${route}.`, error_code: null });
  };
}
