/**
 * One way to reach HQ: the config's data folder without a server; with
 * `--server URL` the running server and the admin token from HANDOFF_TOKEN (or
 * an alias, the config, the generated file); a clear error for an address that
 * answers HTML and for a missing token.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminToken, hqBaseUrl } from '../../../lib/cli/hq.ts';
import { main } from '../../../lib/cli/main.ts';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { createLogger } from '../../../lib/core/log.ts';
import { createHqServer } from '../../../lib/server/index.ts';
import { createEmbeddedTransfer } from '../../../lib/transfer/index.ts';
import { memoryIo } from '../../support/cli-io.ts';

const TOKEN = 'hq-test-token-0123456789';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-hq-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function handoff(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = memoryIo(env);
  const code = await main(['node', 'handoff', '--json', ...args], run.io);
  return { code, envelope: JSON.parse(run.stdout()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } } };
}

/** A studio config whose data folder already holds one job. */
async function studioWithJob(dir: string) {
  const dataDir = path.join(dir, 'data');
  const configFile = path.join(dir, 'studio.yaml');
  const yaml = `version: 1\ntracker: { type: memory }\nvolumes: { proj: { path: ${JSON.stringify(path.join(dir, 'proj'))} } }\ntransfer: { dataDir: ${JSON.stringify(dataDir)} }\n`;
  await writeFile(configFile, yaml);
  await mkdir(dataDir, { recursive: true });
  const transfer = createEmbeddedTransfer({ dataDir, schedule: false, roots: { hq: {}, vendors: {} } });
  await transfer.ensureJob({ name: 'Outsource - download - scd - CompersInc - 261207', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' } });
  await transfer.close();
  return { dataDir, configFile, yaml };
}

describe('reaching HQ', () => {
  it('reads the job list from transfer.dataDir of the --config file', async () => {
    const { configFile } = await studioWithJob(await tempDir());
    const listed = await handoff(['--config', configFile, 'jobs', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.envelope.data).toEqual([expect.objectContaining({ name: 'Outsource - download - scd - CompersInc - 261207' })]);
  });

  it('talks to a running server given as http://HOST:PORT with HANDOFF_TOKEN or an alias', async () => {
    const dir = await tempDir();
    const { dataDir, configFile, yaml } = await studioWithJob(dir);
    const server = await createHqServer({ dataDir, adminTokens: [TOKEN], config: parseConfig(yaml, configFile), logger: createLogger('server', { level: 'silent' }), listen: false });
    cleanups.push(() => server.close());
    const empty = { HANDOFF_DATA_DIR: path.join(dir, 'elsewhere') };
    for (const env of [{ HANDOFF_TOKEN: TOKEN }, { HANDOFF_ADMIN_TOKEN: TOKEN }, { HANDOFF_ADMIN_TOKENS: `${TOKEN},another-token-0123456789` }]) {
      const listed = await handoff(['jobs', 'list', '--server', server.url], { ...empty, ...env });
      expect(listed.envelope.data, JSON.stringify(env)).toEqual([expect.objectContaining({ name: 'Outsource - download - scd - CompersInc - 261207' })]);
    }
    const viaEnv = await handoff(['jobs', 'list'], { ...empty, HANDOFF_SERVER: `${server.url}/api/transfer`, HANDOFF_TOKEN: TOKEN });
    expect(viaEnv.code).toBe(0);
    const noToken = await handoff(['jobs', 'list', '--server', server.url], empty);
    expect(noToken).toMatchObject({ code: 6, envelope: { error: { code: 'CLI_TOKEN_MISSING' } } });
    const wrongToken = await handoff(['jobs', 'list', '--server', server.url], { ...empty, HANDOFF_TOKEN: 'not-the-token-0123456789' });
    expect(wrongToken.code).toBe(6);
  });

  it('says an address answering HTML is not the API, instead of a JSON parse error', async () => {
    const page: Server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not here</html>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => page.close(resolve)));
    const url = `http://127.0.0.1:${(page.address() as { port: number }).port}`;
    const listed = await handoff(['jobs', 'list', '--server', url], { HANDOFF_TOKEN: TOKEN });
    expect(listed.code).toBe(3);
    expect(listed.envelope.error).toMatchObject({ code: 'TRANSFER_REMOTE_ANSWER_INVALID', message: expect.stringContaining('text/html') });
    expect(listed.envelope.error?.message).not.toContain('Unexpected token');
  });

  it('reads the token from HANDOFF_TOKEN, its aliases, the config, then the generated file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'admin-token'), 'generated-token\n');
    await writeFile(path.join(dir, 'token-file'), 'file-token\n');
    const config = parseConfig('version: 1\nserver: { adminTokens: [config-token-0123456789] }\n', path.join(dir, 'c.yaml'));
    expect(await adminToken({ HANDOFF_TOKEN: 'a', HANDOFF_ADMIN_TOKEN: 'b' }, config, dir)).toBe('a');
    expect(await adminToken({ HANDOFF_TOKEN_FILE: path.join(dir, 'token-file') }, config, dir)).toBe('file-token');
    expect(await adminToken({ HANDOFF_ADMIN_TOKENS: 'x, y' }, config, dir)).toBe('x');
    expect(await adminToken({}, config, dir)).toBe('config-token-0123456789');
    expect(await adminToken({}, undefined, dir)).toBe('generated-token');
    await expect(adminToken({}, undefined, path.join(dir, 'none'))).rejects.toMatchObject({ code: 'CLI_TOKEN_MISSING' });
  });

  it('takes the server address with or without the API path', () => {
    expect(hqBaseUrl('http://hq:8730')).toBe('http://hq:8730');
    expect(hqBaseUrl('http://hq:8730/api/transfer/')).toBe('http://hq:8730');
    expect(hqBaseUrl('https://studio.example/handoff/')).toBe('https://studio.example/handoff');
    expect(() => hqBaseUrl('hq:8730')).toThrow(/--server must be the HTTP address/);
  });
});
