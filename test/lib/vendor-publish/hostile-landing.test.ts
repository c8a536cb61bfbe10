/**
 * A hostile vendor against a real HQ server (ftrack emulator, real HTTP API,
 * agent listener on loopback) and a real enrolled agent in its own process.
 * The vendor lies about its tree, changes files after pre-publish, sends
 * frames of the wrong size, or leaves files in its landing folder: nothing it
 * did not get validated reaches the production path or the tracker, and the
 * vendor, the event log and the publish records say what differed. The HQ
 * endpoints judge with the studio's config (publish.pre hooks, extensions,
 * statuses, version policy, naming example).
 */
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHqClient, outcomeError, waitForPublish } from '../../../lib/agent/index.ts';
import type { HqClient, PublishOutcome } from '../../../lib/agent/index.ts';
import { main } from '../../../lib/cli/main.ts';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { createLogger } from '../../../lib/core/log.ts';
import { startFtrackEmulator } from '../../../lib/emulators/ftrack/index.ts';
import { createHqServer, type HqServer } from '../../../lib/server/index.ts';
import { createFtrackTracker } from '../../../lib/tracker/ftrack/index.ts';
import { checkStudioSeed } from '../../../lib/tracker/index.ts';
import type { StudioSeedInput, Tracker } from '../../../lib/tracker/index.ts';
import { loadAgentCredentials } from '../../../lib/transfer/wire/index.ts';
import { attachContentHashes, attachMediaFacts, buildTree, hashFile } from '../../../lib/vendor-publish/index.ts';
import type { PrepublishResponse, TreeEntry } from '../../../lib/vendor-publish/index.ts';
import { memoryIo } from '../../support/cli-io.ts';
import { exrSequence } from '../../support/media-fixtures.ts';
import { tinySeed } from './studio.ts';

const BIN = fileURLToPath(new URL('../../../bin/handoff.js', import.meta.url));
const TOKEN = 'admin-token-for-hostile-landing-tests';
const EMMA = 'emma@compersinc.example';
const SHOTS = ['0010', '0020', '0030', '0040', '0050', '0060', '0070', '0080', '0090'];

/** The tiny studio with one cleanup task per shot, all assigned to the vendor. */
const seed: StudioSeedInput = {
  ...tinySeed,
  projects: (tinySeed.projects ?? []).map((p) => ({
    ...p,
    sequences: [{ name: '0010', shots: SHOTS.map((name) => ({ name, frames: { start: 1001, end: 1010, handles: 0 },
      tasks: [{ name: 'cleanup', type: 'Cleanup', status: 'Outsourced', assignees: [EMMA] }] })) }],
  })),
};

/** A studio check (publish.pre) that refuses any folder of shot 0070. */
const STUDIO_CHECK = `export default { kind: 'module', on: 'publish.pre', name: 'studio-check', handler(input) {
  return { files: input.verdicts.filter((v) => v.filename.includes('_0070_')).map((v) => ({ filename: v.filename, rejected: true, warning: 'Shot 0070 is on hold at the studio.' })) };
} };\n`;

let dir: string;
let hqRoot: string;
let root: string;
let home: string;
let server: HqServer;
let tracker: Tracker;
let client: HqClient;
let agent: ResultPromise;
let ftrack: { url: string; user: string; apiKey: string };
const cleanups: (() => Promise<unknown>)[] = [];

async function handoff(args: string[], env: Record<string, string> = {}) {
  const run = memoryIo({ NO_COLOR: '1', ...env });
  const exitCode = await main(['node', 'handoff', ...args], run.io);
  return { exitCode, stdout: run.stdout(), stderr: run.stderr() };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-hostile-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  hqRoot = path.join(dir, 'hq');
  root = path.join(dir, 'vendor');
  home = path.join(dir, 'agent-home');
  await Promise.all([mkdir(hqRoot), mkdir(root)]);
  await writeFile(path.join(dir, 'studio-check.mjs'), STUDIO_CHECK);
  const configFile = path.join(dir, 'handoff.yaml');
  const yaml = [
    'version: 1',
    'tracker: { type: memory }',
    `volumes: { proj: { path: ${JSON.stringify(hqRoot)} } }`,
    'vendors:',
    `  CompersInc: { name: Compers Inc, users: [${EMMA}] }`,
    'publish:',
    '  extensions: { Cleanup: [exr, nk] }',
    '  status: in progress',
    '  vendorStatuses: [IN PROGRESS]',
    'hooks:',
    `  publish.pre: [{ module: ${JSON.stringify(path.join(dir, 'studio-check.mjs'))} }]`,
    '',
  ].join('\n');
  await writeFile(configFile, yaml);
  const emulator = await startFtrackEmulator({ seed: checkStudioSeed(seed, 'the hostile test studio') });
  ftrack = { url: emulator.url, user: emulator.user, apiKey: emulator.apiKey };
  tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey, retryDelayMs: 10 });
  cleanups.push(() => emulator.close(), () => tracker.close());
  server = await createHqServer({ dataDir: path.join(dir, 'data'), adminTokens: [TOKEN], config: parseConfig(yaml, configFile), tracker, logger: createLogger('server', { level: 'silent' }) });
  cleanups.push(() => server.close());
  await server.transfer.ensureShare({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
  const code = await server.createEnrolmentCode('CompersInc');
  const enrol = await handoff(['--json', 'agent', '--home', home, 'enrol', '--hq', server.wireUrl!, '--server', server.url, '--code', code, '--root', root]);
  expect(enrol.exitCode, enrol.stdout).toBe(0);
  agent = execa('node', [BIN, 'agent', '--home', home, 'run'], { reject: false, env: { NO_COLOR: '1' } });
  cleanups.push(async () => {
    agent.kill('SIGTERM');
    await agent;
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the agent did not connect in 60 s:\n${text}`)), 60_000);
    agent.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/agent connected/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  client = createHqClient(server.url, { kind: 'agent', credentials: await loadAgentCredentials(home) });
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const folderName = (shot: string, version = 1) => `scd_0010_${shot}_cleanup_v${String(version).padStart(3, '0')}`;
const production = (shot: string, folder: string) => path.join(hqRoot, 'scd', '0010', shot, 'publish', 'cleanup', folder);
const landing = (folder: string) => path.join(hqRoot, '_VENDORS', 'CompersInc', 'FROM_CLIENT', folder);
const exists = (file: string) => access(file).then(() => true, () => false);

async function result(shot: string, version = 1, frames: { width?: number; height?: number } = {}): Promise<string> {
  const folder = path.join(root, folderName(shot, version));
  await mkdir(folder, { recursive: true });
  await exrSequence(folder, { first: 1001, count: 10, ...frames });
  return folder;
}

/** The tree as the stock agent describes it: with its frame facts and content hashes. */
async function describe_(folder: string): Promise<TreeEntry> {
  const [tree] = await attachContentHashes(await attachMediaFacts(await buildTree([folder]), [folder]), [folder]);
  return tree!;
}

/** A signed publish with a tree of the vendor's making; resolves when HQ has published or refused it. */
async function publishTree(tree: TreeEntry): Promise<PublishOutcome> {
  const answer = await client.post<{ job: { id: string } }>('/api/vendor/publish', { user: EMMA, files: [tree], fields: { comment: 'done', timeSpent: 60 }, root: '' });
  const signal = AbortSignal.timeout(90_000);
  return waitForPublish({ client, parent: '', files: [tree] }, answer.job.id, { signal, intervalMs: 100 });
}

async function versionsOf(shot: string): Promise<number[]> {
  const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot, task: 'cleanup' });
  return (await tracker.listVersions(task!.task.id)).map((v) => v.version);
}

async function eventsOf(jobId: string): Promise<string[]> {
  const response = await fetch(`${server.url}/api/events?jobId=${jobId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await response.json()) as { events: { message: string }[] }).events.map((e) => e.message);
}

const dropFile = (tree: TreeEntry, name: string): TreeEntry => ({ ...tree, files: tree.files!.filter((f) => f.filename !== name) });

describe('a hostile vendor at landing', () => {
  it('uploads only the validated files: evil.sh, payload.exe and a .mov left out of the tree never leave the vendor', async () => {
    const shot = '0010';
    const folder = await result(shot);
    await writeFile(path.join(folder, 'evil.sh'), '#!/bin/sh\nrm -rf /\n');
    await writeFile(path.join(folder, 'payload.exe'), Buffer.alloc(4096, 0x4d));
    await writeFile(path.join(folder, 'extra.mov'), Buffer.alloc(512 * 1024, 1));
    const honest = await describe_(folder);
    // Described as it is, the folder is refused before any byte moves (Cleanup delivers .exr and .nk).
    const verdicts = await client.post<PrepublishResponse>('/api/vendor/prepublish', { user: EMMA, files: [honest] });
    expect(verdicts.folders[0]).toMatchObject({ verdict: 'rejected', messages: expect.arrayContaining([expect.objectContaining({ title: 'File type not allowed' })]) });

    const framesOnly = ['evil.sh', 'payload.exe', 'extra.mov'].reduce(dropFile, honest);
    const outcome = await publishTree(framesOnly);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ state: 'published', publishes: [expect.objectContaining({ ok: true, version: 1 })] });
    const published = await readdir(production(shot, folderName(shot)));
    expect(published.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `plate.${1001 + i}.exr`));
    expect((await readdir(landing(folderName(shot)))).sort()).toEqual(published.sort());
  }, 120_000);

  it('rejects a folder whose landing area holds files that were not validated; nothing reaches production or the tracker', async () => {
    const shot = '0020';
    const name = folderName(shot);
    const tree = await describe_(await result(shot));
    // Left in the vendor's writable FROM_CLIENT (an earlier upload, another job): not part of what was validated.
    await mkdir(landing(name), { recursive: true });
    await writeFile(path.join(landing(name), 'evil.sh'), '#!/bin/sh\n');
    const outcome = await publishTree(tree);
    expect(outcome).toMatchObject({ state: 'rejected', error: { code: 'PUBLISH_LANDING_REJECTED', message: expect.stringContaining('evil.sh') } });
    expect(outcome.publishes).toEqual([expect.objectContaining({ folder: name, ok: false, errors: [expect.stringContaining('not validated')] })]);
    expect(await exists(production(shot, name))).toBe(false);
    expect(await versionsOf(shot)).toEqual([]);
    expect((await eventsOf(outcome.job.id)).join('\n')).toMatch(/PUBLISH_LANDING_REJECTED|not what was validated/);
    expect(outcomeError(outcome)).toMatchObject({ code: 'PUBLISH_LANDING_REJECTED' });

    // The stock agent's publish waits for HQ's word and fails with it.
    const again = await handoff(['--json', 'agent', '--home', home, 'publish', name, '--user', EMMA, '--comment', 'again', '--time', '1h']);
    expect(again.exitCode).not.toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'PUBLISH_LANDING_REJECTED', message: expect.stringContaining('evil.sh'), details: { state: 'rejected' } } });
    expect(await exists(production(shot, name))).toBe(false);
    expect(await versionsOf(shot)).toEqual([]);
  }, 120_000);

  it('rejects a frame whose size differs from the declared one', async () => {
    const shot = '0030';
    const name = folderName(shot);
    const tree = await describe_(await result(shot));
    const [first, ...rest] = tree.files!;
    const lying = { ...tree, files: [{ ...first!, size: first!.size - 100 }, ...rest] };
    const outcome = await publishTree(lying);
    expect(outcome).toMatchObject({ state: 'rejected', error: { code: 'PUBLISH_LANDING_REJECTED', message: expect.stringMatching(/changed size: plate\.1001\.exr \(\d+ bytes, validated as \d+\)/) } });
    expect(await exists(production(shot, name))).toBe(false);
    expect(await versionsOf(shot)).toEqual([]);
  }, 120_000);

  it('rejects a frame replaced after pre-publish with other bytes of the same size, naming both hashes', async () => {
    const shot = '0080';
    const name = folderName(shot);
    const folder = await result(shot);
    const tree = await describe_(folder);
    const verdicts = await client.post<PrepublishResponse>('/api/vendor/prepublish', { user: EMMA, files: [tree] });
    expect(verdicts.folders[0]).toMatchObject({ can_publish: true });
    const frame = path.join(folder, 'plate.1005.exr');
    const bytes = await readFile(frame);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(frame, bytes);
    const sent = tree.files!.find((f) => f.filename === 'plate.1005.exr')!.hash!;
    const now = await hashFile(frame);
    expect(now).not.toBe(sent);
    const outcome = await publishTree(tree);
    expect(outcome).toMatchObject({ state: 'rejected', error: { code: 'PUBLISH_LANDING_REJECTED', message: expect.stringContaining(`changed content: plate.1005.exr (content ${now.slice(0, 12)}, validated as ${sent.slice(0, 12)})`) } });
    expect(await exists(production(shot, name))).toBe(false);
    expect(await versionsOf(shot)).toEqual([]);
  }, 120_000);

  it('publishes a folder sent without content hashes (an older agent): HQ hashes what landed', async () => {
    const shot = '0090';
    const tree = await describe_(await result(shot));
    const unhashed = { ...tree, files: tree.files!.map((f) => ({ ...f, hash: undefined })) };
    const outcome = await publishTree(unhashed);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ state: 'published', publishes: [expect.objectContaining({ ok: true, version: 1 })] });
    // A hash that is not an XXH3-128 is refused before any byte moves.
    const garbled = { ...tree, files: tree.files!.map((f, i) => (i ? f : { ...f, hash: 'not-a-hash' })) };
    const verdicts = await client.post<PrepublishResponse>('/api/vendor/prepublish', { user: EMMA, files: [garbled] });
    expect(verdicts.folders[0]).toMatchObject({ can_publish: false });
  }, 120_000);

  it('rejects frames of the wrong resolution through the agent, before the upload and again at landing', async () => {
    const shot = '0040';
    const name = folderName(shot);
    await result(shot, 1, { width: 32, height: 18 });
    const check = await handoff(['--json', 'agent', '--home', home, 'publish', name, '--user', EMMA, '--check']);
    const [verdict] = (JSON.parse(check.stdout) as { data: PrepublishResponse }).data.folders;
    expect(verdict).toMatchObject({ verdict: 'rejected', messages: expect.arrayContaining([expect.objectContaining({ title: 'Wrong resolution', message: expect.stringContaining('32x18; the project is 64x36') })]) });
    const publish = await handoff(['--json', 'agent', '--home', home, 'publish', name, '--user', EMMA, '--comment', 'x', '--time', '1h']);
    expect(JSON.parse(publish.stdout)).toMatchObject({ ok: false, error: { code: 'PUBLISH_NOTHING' } });

    // A vendor that sends no frame facts, or false ones, is caught when HQ reads the landed frames.
    const silent = { ...(await describe_(path.join(root, name))), media: undefined };
    const unchecked = await publishTree(silent);
    expect(unchecked).toMatchObject({ state: 'rejected', error: { code: 'PUBLISH_LANDING_REJECTED', message: expect.stringContaining('32x18; the project is 64x36') } });
    const honest = await describe_(path.join(root, name));
    const lying = { ...honest, media: honest.media!.map((m) => ({ ...m, width: 64, height: 36 })) };
    const lied = await publishTree(lying);
    expect(lied).toMatchObject({ state: 'rejected', error: { code: 'PUBLISH_LANDING_REJECTED', message: expect.stringContaining('is 32x18, sent as 64x36') } });
    expect(await exists(production(shot, name))).toBe(false);
    expect(await versionsOf(shot)).toEqual([]);
  }, 120_000);

  it('publishes an honest folder with `agent publish`, which waits for HQ and reports the version', async () => {
    const shot = '0050';
    const name = folderName(shot);
    await result(shot);
    const publish = await handoff(['--json', 'agent', '--home', home, 'publish', name, '--user', EMMA, '--comment', 'clean', '--time', '30m']);
    expect(publish.exitCode, publish.stdout + publish.stderr).toBe(0);
    expect(JSON.parse(publish.stdout)).toMatchObject({ ok: true, data: { outcome: { state: 'published', publishes: [expect.objectContaining({ folder: name, version: 1 })] } } });
    expect(await versionsOf(shot)).toEqual([1]);
  }, 120_000);
});

describe('the HQ endpoints judge with the studio config', () => {
  it('applies publish.pre hooks, publish.extensions, vendor statuses (tracker spelling) and the naming example', async () => {
    const held = await result('0070');
    const nuke = await result('0060');
    await writeFile(path.join(nuke, 'cleanup.nk'), 'Root {}\n');
    const answer = await client.post<PrepublishResponse>('/api/vendor/prepublish', { user: EMMA, files: [await describe_(held), await describe_(nuke)] });
    const [h, n] = answer.folders;
    expect(h).toMatchObject({ verdict: 'rejected', messages: expect.arrayContaining([expect.objectContaining({ source: 'hook:studio-check', message: 'Shot 0070 is on hold at the studio.' })]) });
    expect(n).toMatchObject({ verdict: 'can_publish' });
    expect(answer.fields.statuses).toEqual([{ label: 'In progress', value: 'In progress', default: true }]);
    expect(answer.guidelines).toBe('One folder per task, named {project}_{sequence}_{shot}_{task}_v{version:03}, e.g. scd_0010_0070_cleanup_v001.');
  }, 60_000);

  it('lets `handoff prepublish --configured-tracker` judge against the tracker the config names, with the same rules', async () => {
    const configFile = path.join(dir, 'ftrack.yaml');
    await writeFile(configFile, [
      'version: 1',
      `tracker: { type: ftrack, ftrack: { serverUrl: ${JSON.stringify(ftrack.url)}, user: ${JSON.stringify(ftrack.user)}, apiKey: "\${FTRACK_API_KEY}" } }`,
      `volumes: { proj: { path: ${JSON.stringify(hqRoot)} } }`,
      'vendors:',
      `  CompersInc: { name: Compers Inc, users: [${EMMA}] }`,
      'publish: { extensions: { Cleanup: [exr] }, vendorStatuses: [in PROGRESS] }',
      '',
    ].join('\n'));
    const small = path.join(dir, 'cli', folderName('0040'));
    await mkdir(small, { recursive: true });
    await exrSequence(small, { first: 1001, count: 10, width: 32, height: 18 });
    const run = await handoff(['--config', configFile, '--json', 'prepublish', small, '--configured-tracker'], { FTRACK_API_KEY: ftrack.apiKey });
    const { data } = JSON.parse(run.stdout) as { data: PrepublishResponse };
    expect(data, run.stdout).toBeDefined();
    expect(data.folders[0]).toMatchObject({ verdict: 'rejected', messages: expect.arrayContaining([expect.objectContaining({ title: 'Wrong resolution' })]) });
    expect(data.fields.statuses.map((st) => st.value)).toEqual(['Pending review', 'In progress']);
    expect(run.exitCode).toBe(3);
  }, 60_000);
});
