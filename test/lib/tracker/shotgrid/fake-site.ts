/**
 * A tiny real HTTP server standing in for a ShotGrid site in client unit tests:
 * each test answers requests with its own handler and reads what was sent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json?: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export type Handler = (req: SeenRequest) => Reply | Promise<Reply>;

export interface FakeSite {
  url: string;
  seen: SeenRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A JWT-shaped token whose `exp` is `expiresIn` seconds from now. */
export function fakeJwt(claims: Record<string, unknown>, expiresIn = 600): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + expiresIn, ...claims })}.c2ln`;
}

export const sgError = (status: number, code: number, title: string): Reply => ({ status, json: { errors: [{ id: 'x', status, code, title, detail: null, source: null, meta: null }] } });

export async function startFakeSite(first: Handler = () => ({ status: 404 })): Promise<FakeSite> {
  let handler = first;
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      if ((req.headers['content-type'] ?? '').includes('json') && body.length) json = JSON.parse(body.toString('utf8')) as unknown;
      const entry: SeenRequest = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://site'), headers: req.headers, body, json };
      seen.push(entry);
      void Promise.resolve(handler(entry)).then((reply) => {
        const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
        res.writeHead(reply.status ?? 200, { 'content-type': reply.json !== undefined ? 'application/json' : 'text/plain', ...reply.headers });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    handle(h) {
      handler = h;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
