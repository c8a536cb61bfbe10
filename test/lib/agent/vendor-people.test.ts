/**
 * A vendor's people and machines, against a real HQ server and real enrolled agents on loopback:
 * a publish names only one of the vendor's own people as its author, whatever route it takes;
 * a vendor runs several named agents at once, HQ lists them and revokes one by name.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentReport, readAgentStatus, runAgent } from '../../../lib/agent/index.ts';
import { main } from '../../../lib/cli/main.ts';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { createLogger } from '../../../lib/core/log.ts';
import { createHqServer } from '../../../lib/server/index.ts';
import { createMemoryTracker } from '../../../lib/tracker/index.ts';
import { collect, listTree, writeTree } from '../../conformance/transfer-helpers.ts';
import { memoryIo } from '../../support/cli-io.ts';
import { tinySeed, vendorResult } from '../vendor-publish/studio.ts';

const TOKEN = 'admin-token-for-vendor-people-tests';
const EMMA = 'emma@compersinc.example';
const CORA = 'cora@acmevfx.example';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function handoff(args: string[], env: Record<string, string> = {}) {
  const run = memoryIo({ NO_COLOR: '1', ...env });
  const exitCode = await main(['node', 'handoff', ...args], run.io);
  return { exitCode, stdout: run.stdout(), stderr: run.stderr(), json: () => JSON.parse(run.stdout()) as Record<string, unknown> };
}

async function studio() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-vendor-people-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const hqRoot = path.join(dir, 'hq');
  await mkdir(hqRoot);
  const configFile = path.join(dir, 'handoff.yaml');
  const yaml = `version: 1\ntracker: { type: memory }\nvolumes: { proj: { path: ${JSON.stringify(hqRoot)} } }\nvendors:\n  CompersInc: { name: Compers Inc, users: [${EMMA}] }\n`;
  await writeFile(configFile, yaml);
  const tracker = createMemoryTracker({ seed: tinySeed });
  cleanups.push(() => tracker.close());
  const server = await createHqServer({ dataDir: path.join(dir, 'data'), adminTokens: [TOKEN], config: parseConfig(yaml, configFile), tracker, logger: createLogger('server', { level: 'silent' }) });
  cleanups.push(() => server.close());
  await server.transfer.ensureShare({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
  const api = async (route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const enrol = async (home: string, root: string, extra: string[] = []) => {
    const code = await server.createEnrolmentCode('CompersInc');
    return handoff(['--json', 'agent', '--home', home, 'enrol', '--hq', server.wireUrl!, '--server', server.url, '--code', code, '--root', root, ...extra]);
  };
  return { dir, hqRoot, configFile, server, tracker, api, enrol };
}

describe('authorship of a vendor publish', () => {
  it('refuses an HQ coordinator named as the author, on the agent and on the HTTP API, before anything happens', async () => {
    const s = await studio();
    const home = path.join(s.dir, 'home');
    const root = path.join(s.dir, 'vendor');
    expect((await s.enrol(home, root)).exitCode).toBe(0);
    await vendorResult(root);

    for (const check of [['--check'], ['--comment', 'done', '--time', '1h']]) {
      const spoofed = await handoff(['--json', 'agent', '--home', home, 'publish', 'scd_0010_0010_cleanup_v001', '--user', CORA, ...check]);
      expect(spoofed.json()).toMatchObject({ ok: false, error: { code: 'PUBLISH_AUTHOR_DENIED', message: expect.stringContaining(`${CORA} is not one of vendor CompersInc's people`) } });
      expect(spoofed.exitCode).toBe(6);
    }
    const files = [{ id: 'a', filename: 'scd_0010_0010_cleanup_v001', is_dir: true, size: 0, files: [] }];
    for (const route of ['/api/vendor/prepublish', '/api/vendor/publish']) {
      const answer = await s.api(route, { vendor: 'CompersInc', user: CORA, files, fields: { comment: 'x' } });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'PUBLISH_AUTHOR_DENIED' } });
    }
    expect(((await s.api('/api/jobs')).body as { jobs: unknown[] }).jobs).toEqual([]);
    const task = await s.tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    expect(await s.tracker.listTimeLogs(task!.task.id)).toEqual([]);
    expect(await readdir(s.hqRoot)).not.toContain('scd');

    const own = await handoff(['--json', 'agent', '--home', home, 'publish', 'scd_0010_0010_cleanup_v001', '--user', EMMA, '--check']);
    expect(own.exitCode, own.stdout).toBe(0);
  }, 60_000);
});

interface Listed {
  vendor: string;
  agents: { name: string; online: boolean; lastContact?: string; revokedAt?: string }[];
}

describe('several agents per vendor', () => {
  it('keeps the first agent working when a second enrols, lists both, and revokes one by name', async () => {
    const s = await studio();
    const roots = { a: path.join(s.dir, 'vendor-a'), b: path.join(s.dir, 'vendor-b') };
    const root = roots.a;
    const homes = { a: path.join(s.dir, 'home-a'), b: path.join(s.dir, 'home-b') };
    const events = await collect(s.server.transfer);
    cleanups.push(async () => events.stop());
    /** Delivers one file to the vendor; resolves with the roots it landed in. */
    const deliver = async (name: string): Promise<string[]> => {
      await writeTree(s.hqRoot, { [`scd/0010/0010/src/${name}/plate.1001.exr`]: 2_000 });
      const job = await s.server.transfer.ensureJob({ name, source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: `scd/0010/0010/src/${name}` }] });
      await events.until((e) => e.type === 'job.post-done' && e.job.id === job.id);
      const landed = await Promise.all(Object.entries(roots).map(async ([key, dir]) => ((await listTree(path.join(dir, 'scd/0010/0010/src', name))).length ? [key] : [])));
      return landed.flat();
    };
    expect((await s.enrol(homes.a, root, ['--name', 'render-01'])).exitCode).toBe(0);
    const first = await runAgent({ home: homes.a });
    cleanups.push(() => first.close());
    await first.whenConnected(15_000);
    const second = await s.enrol(homes.b, roots.b, ['--name', 'render-02']);
    expect(second.json()).toMatchObject({ ok: true, data: { vendor: 'CompersInc', name: 'render-02' } });
    const other = await runAgent({ home: homes.b });
    cleanups.push(() => other.close());
    await other.whenConnected(15_000);

    const taken = await s.enrol(path.join(s.dir, 'home-c'), root, ['--name', 'render-01']);
    expect(taken.json()).toMatchObject({ ok: false, error: { code: 'WIRE_AGENT_NAME_TAKEN', hint: expect.stringContaining('--replace render-01') } });

    const admin = { HANDOFF_ADMIN_TOKEN: TOKEN };
    const listed = await handoff(['--config', s.configFile, '--json', 'vendor', 'agents', 'CompersInc', '--server', s.server.url], admin);
    expect(listed.exitCode, listed.stdout).toBe(0);
    const agents = (listed.json().data as Listed).agents;
    expect(agents.map((a) => [a.name, a.online, Boolean(a.lastContact), a.revokedAt])).toEqual([
      ['render-01', true, true, undefined],
      ['render-02', true, true, undefined],
    ]);

    // A delivery goes to one of the online agents.
    expect(await deliver('first')).toHaveLength(1);
    // The first agent's key still signs: its publish goes through.
    await vendorResult(roots.a);
    await vendorResult(roots.b);
    const publish = (home: string) => handoff(['--json', 'agent', '--home', home, 'publish', 'scd_0010_0010_cleanup_v001', '--user', EMMA, '--check']);
    expect((await publish(homes.a)).exitCode).toBe(0);
    expect((await publish(homes.b)).exitCode).toBe(0);

    const revoked = await handoff(['--config', s.configFile, '--json', 'vendor', 'agents', 'CompersInc', '--revoke', 'render-01', '--server', s.server.url], admin);
    expect(revoked.exitCode, revoked.stdout).toBe(0);
    expect((revoked.json().data as Listed).agents).toMatchObject([{ name: 'render-01', online: false, revokedAt: expect.any(String) }, { name: 'render-02' }]);
    await expect(first.refused).resolves.toMatchObject({ code: 'AGENT_REVOKED', message: expect.stringContaining('render-01 of CompersInc') });
    await first.close();
    expect(await readAgentStatus(homes.a)).toMatchObject({ state: 'revoked', reason: expect.stringContaining('WIRE_AGENT_REVOKED') });
    expect(await agentReport(homes.a)).toMatchObject({ connected: false, status: { state: 'revoked' } });
    expect((await publish(homes.a)).json()).toMatchObject({ ok: false, error: { code: 'SERVER_AGENT_SIGNATURE_INVALID' } });

    const after = (await handoff(['--config', s.configFile, '--json', 'vendor', 'agents', 'CompersInc', '--server', s.server.url], admin)).json().data as Listed;
    expect(after.agents.find((a) => a.name === 'render-02')).toMatchObject({ online: true });
    expect(await deliver('second')).toEqual(['b']);
    expect((await publish(homes.b)).exitCode).toBe(0);
    const again = await handoff(['--config', s.configFile, '--json', 'vendor', 'agents', 'CompersInc', '--revoke', 'render-01', '--server', s.server.url], admin);
    expect(again.json()).toMatchObject({ ok: false, error: { code: 'SERVER_AGENT_NOT_FOUND', hint: expect.stringContaining('render-02') } });
    expect(again.exitCode).toBe(4);
  }, 90_000);
});
