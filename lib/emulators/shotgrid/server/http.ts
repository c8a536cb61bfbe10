/**
 * The small HTTP vocabulary the routes share: a request with a lazily read
 * body, and a reply (JSON, text or bytes) the server writes.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, SgError } from '../errors.ts';

const MAX_BODY = 512 * 1024 * 1024;

export interface Request {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body(): Promise<Buffer>;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  bytes?: Buffer;
  type?: string;
  headers?: Record<string, string>;
}

export function toRequest(req: IncomingMessage): Request {
  let body: Promise<Buffer> | undefined;
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', 'http://emulator'),
    headers: req.headers,
    body: () =>
      (body ??= (async () => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY) throw new SgError(413, 103, 'Request Entity Too Large', { detail: `Bodies are limited to ${MAX_BODY} bytes.` });
          chunks.push(chunk as Buffer);
        }
        return Buffer.concat(chunks);
      })()),
  };
}

export async function jsonBody(req: Request): Promise<unknown> {
  const text = (await req.body()).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Invalid JSON body', { body: 'not JSON' });
  }
}

export const mediaType = (req: Request): string => String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

export function write(res: ServerResponse, reply: Reply): void {
  const body = reply.bytes ?? (reply.text !== undefined ? reply.text : reply.json !== undefined ? JSON.stringify(reply.json) : '');
  const type = reply.type ?? (reply.json !== undefined ? 'application/json; charset=utf-8' : reply.text !== undefined ? 'text/plain; charset=utf-8' : undefined);
  res.writeHead(reply.status, { ...(type ? { 'Content-Type': type } : {}), 'Content-Length': String(Buffer.byteLength(body)), ...reply.headers });
  res.end(body);
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, json: body, ...(headers ? { headers } : {}) });
