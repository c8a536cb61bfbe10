/**
 * Who may Outsource, against a real HQ server serving its actions on the ftrack
 * emulator's event hub: vendor people never, studio users only as the config
 * allows, a chosen vendor only when the task is assigned to it, and the
 * launching user is the one the hub authenticated, not the one the event names.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Event, EventHub } from '@ftrack/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { startFtrackEmulator, type FtrackEmulator } from '../../../lib/emulators/ftrack/index.ts';
import { createWebUiHarness, type UiUser, type WebUiHarness } from '../../../lib/emulators/ftrack/harness.ts';
import { loadStudioSeed } from '../../../lib/tracker/seed.ts';
import { createFtrackTracker } from '../../../lib/tracker/ftrack/index.ts';
import type { Tracker } from '../../../lib/tracker/types.ts';
import type { Job } from '../../../lib/transfer/types.ts';
import { ADMIN, startServer, type ServerFixture } from './fixture.ts';

const CONFIG = `
tracker: { type: ftrack, ftrack: { serverUrl: "\${FTRACK_SERVER}", user: "\${FTRACK_API_USER}", apiKey: "\${FTRACK_API_KEY}" } }
volumes: { proj: { path: /tmp/unused } }
vendors:
  CompersInc: { name: Compers Inc, users: [emma@compersinc.example] }
  RotoWorks: { name: Roto Works, users: [ravi@rotoworks.example] }
actions:
  outsource: { allow: { groups: [Coordinators] } }
`;

let emulator: FtrackEmulator;
let tracker: Tracker;
let ui: WebUiHarness;
let f: ServerFixture;
const users: Record<string, UiUser> = {};
let selection: { entityType: string; entityId: string }[];

async function jobs(): Promise<Job[]> {
  return (await f.api<{ jobs: Job[] }>('/api/jobs', { token: ADMIN })).body.jobs;
}

beforeAll(async () => {
  const seed = await loadStudioSeed('demo');
  seed.users.push({ username: 'ravi@rotoworks.example', name: 'Ravi Roto', email: 'ravi@rotoworks.example', groups: ['Roto Works'] });
  emulator = await startFtrackEmulator({ seed });
  tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
  const config = parseConfig(CONFIG, '/tmp/handoff-access.yaml', { FTRACK_SERVER: emulator.url, FTRACK_API_USER: emulator.user, FTRACK_API_KEY: emulator.apiKey });
  f = await startServer({ tracker, config, vendorRoots: {} });
  const plates = path.join(f.hqRoot, 'scd/0010/0010/src/plates');
  await mkdir(plates, { recursive: true });
  for (let frame = 1001; frame <= 1003; frame++) await writeFile(path.join(plates, `scd_0010_0010_plate.${frame}.exr`), `frame ${frame}\n`);
  ui = await createWebUiHarness({ serverUrl: emulator.url, apiUser: emulator.user, apiKey: emulator.apiKey, replyWindowMs: 1500 });
  for (const name of ['cora@acmevfx.example', 'finn@acmevfx.example', 'ravi@rotoworks.example']) {
    const user = await tracker.getUser({ username: name });
    users[name.split('@')[0]!] = { id: user!.id, username: name };
  }
  const context = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
  selection = [{ entityType: 'task', entityId: context!.task.id }];
}, 60_000);

afterAll(async () => {
  await ui?.close();
  await f?.cleanup();
  await tracker?.close();
  await emulator?.close();
});

const OUTSOURCE = { actionIdentifier: 'outsource', label: 'Outsource' };

describe('who may launch Outsource', () => {
  it('refuses a vendor person who launches it on another vendor\'s task, and delivers nothing', async () => {
    const offered = await ui.discover(selection, users.ravi!, { windowMs: 800 });
    expect(offered.map((a) => a.actionIdentifier)).not.toContain('outsource');
    const [reply] = await ui.launch(OUTSOURCE, selection, users.ravi!, { vendor: 'RotoWorks' }, { expected: 1 });
    expect(reply).toMatchObject({ type: 'message', success: false });
    expect(reply?.type === 'message' && reply.message).toContain("vendor RotoWorks's people");
    expect(await jobs()).toEqual([]);
  });

  it('refuses a studio user outside the allowed groups', async () => {
    const [reply] = await ui.launch(OUTSOURCE, selection, users.finn!, undefined, { expected: 1 });
    expect(reply).toMatchObject({ type: 'message', success: false });
    expect(reply?.type === 'message' && reply.message).toContain('open to the groups Coordinators only');
    expect(await jobs()).toEqual([]);
  });

  it('refuses a coordinator sending a task to a vendor it is not assigned to', async () => {
    const [reply] = await ui.launch(OUTSOURCE, selection, users.cora!, { vendor: 'RotoWorks' }, { expected: 1 });
    expect(reply).toMatchObject({ type: 'message', success: false });
    expect(reply?.type === 'message' && reply.message).toContain('assigned to CompersInc, not RotoWorks');
    expect(await jobs()).toEqual([]);
  });

  it('takes the launching user from the hub login, not from a forged source.user', async () => {
    const hub = new EventHub(emulator.url, users.ravi!.username, emulator.apiKey);
    hub.connect();
    try {
      const forged = new Event('ftrack.action.launch', { ...OUTSOURCE, selection, values: { vendor: 'RotoWorks' } }, { source: { user: users.cora } });
      const reply = (await hub.publishAndWaitForReply(forged, { timeout: 10 })) as { data: { success: boolean; message: string } };
      expect(reply.data.success).toBe(false);
      expect(reply.data.message).toContain('ravi@rotoworks.example is one of vendor RotoWorks');
    } finally {
      hub.disconnect();
    }
    expect(await jobs()).toEqual([]);
  });

  it('lets an allowed coordinator outsource the task to its own vendor', async () => {
    const [reply] = await ui.launch(OUTSOURCE, selection, users.cora!, undefined, { expected: 1 });
    expect(reply).toMatchObject({ type: 'message', success: true });
    expect((await jobs()).map((j) => j.destination)).toEqual([{ kind: 'vendor', vendor: 'CompersInc' }]);
  });
});
