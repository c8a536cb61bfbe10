/**
 * The vendor side from the command line, against a real HQ server on
 * loopback: `handoff vendor invite` prints the command, `handoff agent enrol`
 * runs it, `handoff agent run` (its own process) connects and receives,
 * `handoff agent status` says so, `handoff agent publish` pre-publishes and
 * uploads, and HQ's post-done hook publishes the version.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../lib/cli/main.ts';
import { parseConfig } from '../../../../lib/core/config/index.ts';
import { createLogger } from '../../../../lib/core/log.ts';
import { connectLive } from '../../../../lib/demo/live.ts';
import { createHqServer } from '../../../../lib/server/index.ts';
import { createMemoryTracker } from '../../../../lib/tracker/index.ts';
import { memoryIo } from '../../../support/cli-io.ts';
import { tinySeed, vendorResult } from '../../vendor-publish/studio.ts';

const BIN = fileURLToPath(new URL('../../../../bin/handoff.js', import.meta.url));
const TOKEN = 'admin-token-for-agent-cli-tests';
const EMMA = 'emma@compersinc.example';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs a command in this process (only `agent run` gets a process of its own). */
async function handoff(args: string[], env: Record<string, string> = {}) {
  const run = memoryIo({ NO_COLOR: '1', ...env });
  const exitCode = await main(['node', 'handoff', ...args], run.io);
  return { exitCode, stdout: run.stdout(), stderr: run.stderr() };
}
const data = <T>(stdout: string): T => (JSON.parse(stdout) as { data: T }).data;

async function studio() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-agent-cli-'));
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
  return { dir, hqRoot, configFile, server, tracker, home: path.join(dir, 'agent-home'), root: path.join(dir, 'vendor') };
}

/** Resolves with the first stderr line of a running child that matches. */
function lineOf(child: ResultPromise, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; saw:\n${text}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

describe('handoff vendor invite and handoff agent', () => {
  it('invites, enrols, runs, reports status, publishes, and stops on SIGTERM', async () => {
    const s = await studio();
    const invite = await handoff(['--config', s.configFile, '--json', 'vendor', 'invite', EMMA, '--server', s.server.url], { HANDOFF_ADMIN_TOKEN: TOKEN });
    expect(invite.exitCode, invite.stdout + invite.stderr).toBe(0);
    const invited = data<{ vendor: string; code: string; hq: string; command: string }>(invite.stdout);
    expect(invited).toMatchObject({ vendor: 'CompersInc', hq: s.server.wireUrl });
    expect(invited.command).toBe(`handoff agent enrol --hq ${s.server.wireUrl} --server ${s.server.url} --code ${invited.code} --root <folder for deliveries>`);

    const enrol = await handoff(['--json', 'agent', '--home', s.home, 'enrol', '--hq', invited.hq, '--server', s.server.url, '--code', invited.code, '--root', s.root]);
    expect(enrol.exitCode, enrol.stdout).toBe(0);
    expect(data(enrol.stdout)).toMatchObject({ vendor: 'CompersInc', root: s.root });

    const status = async () => data<{ running: boolean; connected: boolean; status?: { state: string; filesReceived: number } }>((await handoff(['--json', 'agent', '--home', s.home, 'status'])).stdout);
    expect(await status()).toMatchObject({ running: false, connected: false });

    const run = execa('node', [BIN, 'agent', '--home', s.home, 'run'], { reject: false, env: { NO_COLOR: '1' } });
    cleanups.push(async () => run.kill('SIGKILL'));
    await lineOf(run, /agent connected/);
    expect(await status()).toMatchObject({ running: true, connected: true, status: { state: 'connected' } });

    await vendorResult(s.root);
    const check = await handoff(['--json', 'agent', '--home', s.home, 'publish', 'scd_0010_0010_cleanup_v001', '--user', EMMA, '--check']);
    expect(check.exitCode, check.stdout).toBe(0);
    expect(data<{ folders: { verdict: string }[] }>(check.stdout).folders.map((f) => f.verdict)).toEqual(['can_publish']);
    // The exit codes of the vendor's usual mistakes: a typo, a folder HQ rejects, fields left out.
    const typo = await handoff(['--json', 'agent', '--home', s.home, 'publish', 'scd_0010_0010_cleanp_v001', '--user', EMMA, '--check']);
    expect(typo.exitCode).toBe(4);
    expect(JSON.parse(typo.stdout)).toMatchObject({ error: { code: 'FOLDER_NOT_FOUND', message: expect.stringContaining('Did you mean "scd_0010_0010_cleanup_v001"') } });
    await mkdir(path.join(s.root, 'notes_for_hq'));
    const rejected = await handoff(['--json', 'agent', '--home', s.home, 'publish', 'notes_for_hq', '--user', EMMA, '--check']);
    expect(rejected.exitCode, rejected.stdout).toBe(3);
    const noFields = await handoff(['--json', 'agent', '--home', s.home, 'publish', 'scd_0010_0010_cleanup_v001', '--user', EMMA]);
    expect(JSON.parse(noFields.stdout)).toMatchObject({ error: { code: 'PUBLISH_FIELDS_MISSING', retryable: false } });
    expect(noFields.exitCode).toBe(3);

    const live = await connectLive(s.server.url, TOKEN);
    cleanups.push(async () => live.close());
    const published = await handoff(['--json', 'agent', '--home', s.home, 'publish', 'scd_0010_0010_cleanup_v001', '--user', EMMA, '--comment', 'Boom gone', '--time', '1h30m']);
    expect(published.exitCode, published.stdout + published.stderr).toBe(0);
    const { job } = data<{ job: { id: string } }>(published.stdout);
    const record = await live.until((e) => (e.kind === 'publish' && e.publish.jobId === job.id ? e.publish : undefined), 60_000, 'the publish');
    expect(record).toMatchObject({ ok: true, version: 1, folder: 'scd_0010_0010_cleanup_v001' });
    const task = await s.tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    expect((await s.tracker.listTimeLogs(task!.task.id)).map((l) => l.seconds)).toEqual([5400]);

    run.kill('SIGTERM');
    await run;
    expect(await status()).toMatchObject({ running: false, connected: false, status: { state: 'stopped' } });
  }, 120_000);

  it('says plainly what is wrong: an unknown person, a missing token, a used code', async () => {
    const s = await studio();
    const stranger = await handoff(['--config', s.configFile, '--json', 'vendor', 'invite', 'nobody@example.com', '--server', s.server.url], { HANDOFF_ADMIN_TOKEN: TOKEN });
    expect(JSON.parse(stranger.stdout)).toMatchObject({ ok: false, error: { code: 'VENDOR_NOT_FOUND', hint: expect.stringContaining('CompersInc') } });
    expect(stranger.exitCode).toBe(4);
    const noToken = await handoff(['--config', s.configFile, '--json', 'vendor', 'invite', EMMA, '--server', s.server.url]);
    expect(JSON.parse(noToken.stdout)).toMatchObject({ ok: false, error: { code: 'CLI_TOKEN_MISSING' } });
    const code = await s.server.createEnrolmentCode('CompersInc');
    expect((await handoff(['agent', '--home', s.home, 'enrol', '--hq', s.server.wireUrl!, '--code', code, '--root', s.root])).exitCode).toBe(0);
    const again = await handoff(['--json', 'agent', '--home', `${s.home}-2`, 'enrol', '--hq', s.server.wireUrl!, '--code', code, '--root', s.root]);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'WIRE_ENROL_REFUSED' } });
    for (const command of ['status', 'run']) {
      const notEnrolled = await handoff(['--json', 'agent', '--home', path.join(s.dir, 'nowhere'), command]);
      expect(JSON.parse(notEnrolled.stdout)).toMatchObject({ ok: false, error: { code: 'AGENT_NOT_ENROLLED' } });
    }
  }, 60_000);
});
