/**
 * Work before authentication, against a real HQ server: bodies sent without a
 * token are refused while they are still being sent (never read or parsed),
 * /healthz answers through a flood of them, authenticated bodies meet their
 * route's size and nesting limits, and idle anonymous connections cannot
 * crowd out a caller.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startServer, type ServerFixture } from './fixture.ts';

let f: ServerFixture;
beforeAll(async () => {
  f = await startServer();
});
afterAll(async () => f?.cleanup());

const MB = 1024 * 1024;

interface Outcome {
  status: number;
  code: string | undefined;
  ms: number;
  /** Whether the whole body had been handed to the socket when the answer came. */
  finished: boolean;
}

/**
 * POSTs a body of `total` bytes (announced, or chunked when `announce` is false),
 * sending `first` of them and the rest only once asked; resolves on the answer.
 */
function upload(route: string, options: { total: number; first: Buffer; token?: string; announce?: boolean; rest?: boolean }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let finished = false;
    const url = new URL(route, f.server.url);
    const request = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.announce === false ? {} : { 'content-length': String(options.total) }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer to ${route} within 5 s`));
    }, 5_000);
    request.on('response', (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(parts).toString('utf8');
        const code = (JSON.parse(text || '{}') as { error?: { code?: string } }).error?.code;
        resolve({ status: response.statusCode ?? 0, code, ms: performance.now() - started, finished });
        request.destroy();
      });
    });
    request.on('error', () => undefined);
    request.write(options.first);
    if (options.rest) {
      let left = options.total - options.first.length;
      const block = Buffer.alloc(MB, 0x20);
      const more = (): void => {
        while (left > 0) {
          const size = Math.min(left, block.length);
          left -= size;
          if (!request.write(block.subarray(0, size))) return void request.once('drain', more);
        }
        request.end(() => (finished = true));
      };
      more();
    }
  });
}

const deep = (depth: number): Buffer => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('authenticate before work', () => {
  it('refuses a 20 MB body without a token while it is still being sent', async () => {
    const outcome = await upload('/api/vendor/publish', { total: 20 * MB, first: Buffer.alloc(MB, 0x20) });
    expect(outcome).toMatchObject({ status: 401, code: 'SERVER_UNAUTHORIZED', finished: false });
  });

  it('refuses a 1,000,000-deep body without a token before reading it', async () => {
    const body = deep(1_000_000);
    const outcome = await upload('/api/vendor/prepublish', { total: body.length, first: body.subarray(0, body.length / 2) });
    expect(outcome).toMatchObject({ status: 401, code: 'SERVER_UNAUTHORIZED', finished: false });
  });

  it('answers /healthz at once while five 20 MB unauthenticated uploads are in flight, holding none of them', async () => {
    const memory = process.memoryUsage().arrayBuffers;
    const uploads = Array.from({ length: 5 }, () => upload('/api/vendor/publish', { total: 20 * MB, first: Buffer.alloc(2 * MB, 0x20), rest: true }));
    const started = performance.now();
    const health = await fetch(`${f.server.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
    const outcomes = await Promise.all(uploads);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 401, code: 'SERVER_UNAUTHORIZED' });
    // Five 20 MB bodies read into memory would be 100 MB.
    expect(process.memoryUsage().arrayBuffers - memory).toBeLessThan(40 * MB);
    expect((await fetch(`${f.server.url}/healthz`)).status).toBe(200);
  });

  it('holds an admin to the route limit, announced or chunked, and refuses deep nesting unparsed', async () => {
    const big = Buffer.alloc(200 * 1024, 0x20);
    const announced = await upload('/api/jobs/nope/priority', { total: big.length, first: big, token: ADMIN });
    expect(announced).toMatchObject({ status: 413, code: 'SERVER_BODY_TOO_LARGE' });
    const chunked = await upload('/api/jobs/nope/priority', { total: big.length, first: big, token: ADMIN, announce: false });
    expect(chunked).toMatchObject({ status: 413, code: 'SERVER_BODY_TOO_LARGE' });
    const nested = deep(100);
    const tooDeep = await upload('/api/jobs/nope/priority', { total: nested.length, first: nested, token: ADMIN });
    expect(tooDeep).toMatchObject({ status: 400, code: 'SERVER_BODY_TOO_DEEP' });
    // A body within the limits still works.
    expect((await f.api('/api/jobs/nope/priority', { body: { priority: 5 } })).body).toMatchObject({ error: { code: 'SERVER_JOB_NOT_FOUND' } });
  });

  it('takes a large authenticated body where the route is sized for it (a transfer job of 2,000 tasks)', async () => {
    const tasks = Array.from({ length: 2_000 }, (_, i) => ({ source: `scd/plates/scd_0010_plate_v001.${String(1001 + i).padStart(4, '0')}.exr` }));
    const spec = { name: 'Many frames', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks };
    expect(Buffer.byteLength(JSON.stringify(spec))).toBeGreaterThan(64 * 1024);
    const answer = await f.api<{ id?: string; name?: string }>('/api/transfer/jobs', { body: spec });
    expect(answer).toMatchObject({ status: 200, body: { name: 'Many frames' } });
  });

  it('keeps at most 64 idle anonymous connections, the oldest making room, and still lets a caller in', async () => {
    const { port } = new URL(f.server.url);
    const open = async (): Promise<{ socket: net.Socket; closed: Promise<void> }> => {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise((resolve) => socket.once('connect', resolve));
      return { socket, closed };
    };
    const first: Awaited<ReturnType<typeof open>>[] = [];
    const second: Awaited<ReturnType<typeof open>>[] = [];
    try {
      for (let i = 0; i < 64; i++) first.push(await open());
      for (let i = 0; i < 64; i++) second.push(await open());
      // Every connection of the first batch made room for one of the second.
      const evicted = Promise.all(first.map((c) => c.closed)).then(() => true);
      const bounded = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref());
      expect(await Promise.race([evicted, bounded])).toBe(true);
      const session = await f.api('/api/session');
      expect(session).toMatchObject({ status: 200, body: { caller: { kind: 'admin' } } });
    } finally {
      for (const c of [...first, ...second]) c.socket.destroy();
    }
  });
});
