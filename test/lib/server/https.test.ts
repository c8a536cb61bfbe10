/**
 * TLS for the HTTP API on a real HQ server: with no certificate files it
 * serves HQ's own certificate, which an enrolled agent trusts through the CA
 * it pinned (and an agent of another HQ does not); plain HTTP beyond loopback
 * is refused at start unless explicitly allowed; an agent never sends a
 * request in clear text to another machine.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHqClient, enrolAgentHome, prepareDrop, prepublishDrop } from '../../../lib/agent/index.ts';
import { loadConfig, parseConfig, shippedDefaultConfig } from '../../../lib/core/config/index.ts';
import { createLogger } from '../../../lib/core/log.ts';
import { createHqServer, localApiOf, serverOptionsFromConfig } from '../../../lib/server/index.ts';
import { createMemoryTracker, loadStudioSeed, type Tracker } from '../../../lib/tracker/index.ts';
import { createHqIdentity, enrolAgent, loadAgentCredentials } from '../../../lib/transfer/wire/index.ts';
import { ADMIN, startServer, type ServerFixture } from './fixture.ts';

let tracker: Tracker;
let f: ServerFixture;
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-https-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
  const config = await loadConfig(shippedDefaultConfig, { env: { ...process.env, HANDOFF_TRACKER: 'memory' } });
  f = await startServer({ tracker, config, tls: 'hq' });
});
afterAll(async () => {
  await f?.cleanup();
  await tracker?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const quiet = { adminTokens: [ADMIN], logger: createLogger('server', { level: 'silent' }) };

describe('HTTPS for the API', () => {
  it('serves HQ\'s own certificate, which an enrolled agent trusts to pre-publish', async () => {
    expect(f.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const home = await tempDir();
    const root = path.join(home, 'root');
    await enrolAgentHome({ home, hqUrl: f.server.wireUrl!, serverUrl: f.server.url, code: await f.server.createEnrolmentCode('CompersInc'), root });
    const credentials = await loadAgentCredentials(home);
    const client = createHqClient(f.server.url, { kind: 'agent', credentials });
    expect(await client.get('/api/session')).toEqual({ caller: { kind: 'agent', vendor: 'CompersInc' } });

    // The agent's own publish path, over the same TLS.
    await mkdir(path.join(root, 'my_render_final'));
    await writeFile(path.join(root, 'my_render_final', 'notes.txt'), 'not a result');
    const drop = await prepareDrop(home, ['my_render_final']);
    const verdicts = await prepublishDrop(drop, 'emma@compersinc.example');
    expect(verdicts.folders).toEqual([expect.objectContaining({ filename: 'my_render_final', verdict: 'rejected' })]);

    // The certificate on the wire is HQ's, issued by the CA the agent pinned.
    const { port } = new URL(f.server.url);
    const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate());
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(new X509Certificate(peer.raw).checkIssued(new X509Certificate(credentials.caCert))).toBe(true);
  });

  it('answers nothing in clear text on its port, and an agent pinned to another HQ refuses it', async () => {
    const plain = fetch(f.server.url.replace('https:', 'http:') + '/api/session', { headers: { authorization: `Bearer ${ADMIN}` }, signal: AbortSignal.timeout(5_000) });
    await expect(plain).rejects.toThrow();
    const credentials = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('CompersInc') });
    const stranger = { ...credentials, caCert: (await createHqIdentity(['127.0.0.1'])).caCert };
    await expect(createHqClient(f.server.url, { kind: 'agent', credentials: stranger }).get('/api/session')).rejects.toMatchObject({ code: 'AGENT_HQ_UNREACHABLE' });
  });

  it('refuses plain HTTP beyond loopback at start unless it is explicitly allowed, with a warning', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    await expect(createHqServer({ ...quiet, dataDir, host: '0.0.0.0', listen: false })).rejects.toMatchObject({
      code: 'SERVER_PLAIN_HTTP_REFUSED',
      message: expect.stringContaining('0.0.0.0'),
      hint: expect.stringContaining('server.tls'),
    });
    await expect(createHqServer({ ...quiet, dataDir, publicUrl: 'http://hq.studio.example:8730', listen: false })).rejects.toMatchObject({ code: 'SERVER_PLAIN_HTTP_REFUSED' });
    const allowed = await createHqServer({ ...quiet, dataDir, host: '0.0.0.0', allowPlainHttp: true, listen: false });
    try {
      expect(allowed.url).toMatch(/^http:/);
      const events = (await (await fetch(`${allowed.url}/api/events`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { events: { type: string; level: string }[] };
      expect(events.events).toContainEqual(expect.objectContaining({ type: 'server.plain-http', level: 'warn' }));
    } finally {
      await allowed.close();
    }
  });

  it('serves HQ\'s certificate from the config beyond loopback, and the studio\'s own files when named', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'handoff.yaml');
    const open = parseConfig('tracker: { type: memory, memory: { seed: demo } }\nserver: { host: 0.0.0.0 }\n', file, {});
    expect((await serverOptionsFromConfig(open, { dataDir: dir }, { HANDOFF_ADMIN_TOKENS: ADMIN })).options.tls).toBe('hq');
    const plain = parseConfig('tracker: { type: memory, memory: { seed: demo } }\nserver: { host: 0.0.0.0, allowPlainHttp: true }\n', file, {});
    expect((await serverOptionsFromConfig(plain, { dataDir: dir }, { HANDOFF_ADMIN_TOKENS: ADMIN })).options.tls).toBeUndefined();

    const own = await createHqIdentity(['127.0.0.1']);
    await writeFile(path.join(dir, 'cert.pem'), own.cert);
    await writeFile(path.join(dir, 'key.pem'), own.key);
    const named = parseConfig(`tracker: { type: memory, memory: { seed: demo } }\nserver: { tls: { cert: ${dir}/cert.pem, key: ${dir}/key.pem } }\n`, file, {});
    const { options } = await serverOptionsFromConfig(named, { dataDir: path.join(dir, 'data'), noListener: true, port: 0 }, { HANDOFF_ADMIN_TOKENS: ADMIN });
    const server = await createHqServer({ ...options, logger: quiet.logger });
    try {
      const answer = await createHqClient(server.url, { kind: 'admin', token: ADMIN, ca: own.caCert }).get('/api/session');
      expect(answer).toEqual({ caller: { kind: 'admin' } });
    } finally {
      await server.close();
    }
    const missing = parseConfig(`tracker: { type: memory, memory: { seed: demo } }\nserver: { tls: { cert: ${dir}/none.pem, key: ${dir}/key.pem } }\n`, file, {});
    await expect(serverOptionsFromConfig(missing, { dataDir: dir }, { HANDOFF_ADMIN_TOKENS: ADMIN })).rejects.toMatchObject({ code: 'SERVER_TLS_UNREADABLE' });
  });

  it('lets a command on HQ\'s machine reach the API on HQ\'s certificate, trusting the CA in the data folder', async () => {
    const config = parseConfig('tracker: { type: memory, memory: { seed: demo } }\nserver: { host: 0.0.0.0 }\n', path.join(await tempDir(), 'handoff.yaml'), {});
    const local = await localApiOf(config, path.join(f.dir, 'data'));
    expect(local).toMatchObject({ scheme: 'https', ca: expect.stringContaining('BEGIN CERTIFICATE') });
    const answer = await createHqClient(f.server.url, { kind: 'admin', token: ADMIN, ca: local.ca }).get('/api/session');
    expect(answer).toEqual({ caller: { kind: 'admin' } });
    await expect(createHqClient(f.server.url, { kind: 'admin', token: ADMIN }).get('/api/session')).rejects.toMatchObject({ code: 'AGENT_HQ_UNREACHABLE' });
  });

  it('keeps an agent from sending a request in clear text to another machine', async () => {
    const credentials = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('CompersInc') });
    expect(() => createHqClient('http://192.0.2.10:8730', { kind: 'agent', credentials })).toThrow(expect.objectContaining({ code: 'AGENT_PLAIN_HTTP_REFUSED' }));
  });
});
