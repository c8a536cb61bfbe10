/**
 * The server serves the tracker's actions: on the ftrack emulator's event hub,
 * a coordinator's Outsource click (through the web-UI harness) queues a
 * delivery in the server's transfer core, visible through the API.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, shippedDefaultConfig } from '../../../lib/core/config/index.ts';
import { startFtrackEmulator, type FtrackEmulator } from '../../../lib/emulators/ftrack/index.ts';
import { createWebUiHarness, type WebUiHarness } from '../../../lib/emulators/ftrack/harness.ts';
import { createFtrackTracker } from '../../../lib/tracker/ftrack/index.ts';
import type { Tracker } from '../../../lib/tracker/types.ts';
import type { Job, Task } from '../../../lib/transfer/types.ts';
import { ADMIN, startServer, type ServerFixture } from './fixture.ts';

const CORA = 'cora@acmevfx.example';

let emulator: FtrackEmulator;
let tracker: Tracker;
let ui: WebUiHarness;
let f: ServerFixture;

beforeAll(async () => {
  emulator = await startFtrackEmulator({ seed: 'demo' });
  tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
  const env = { ...process.env, HANDOFF_TRACKER: 'ftrack', FTRACK_SERVER: emulator.url, FTRACK_API_USER: emulator.user, FTRACK_API_KEY: emulator.apiKey };
  const config = await loadConfig(shippedDefaultConfig, { env });
  f = await startServer({ tracker, config, vendorRoots: {} });
  // The config's volume points elsewhere; the fixture gives the server its own, so plates go there.
  const plates = path.join(f.hqRoot, 'scd/0010/0010/src/plates');
  await mkdir(plates, { recursive: true });
  for (let frame = 1001; frame <= 1005; frame++) await writeFile(path.join(plates, `scd_0010_0010_plate.${frame}.exr`), `frame ${frame}\n`);
  ui = await createWebUiHarness({ serverUrl: emulator.url, apiUser: emulator.user, apiKey: emulator.apiKey, replyWindowMs: 1500 });
}, 60_000);

afterAll(async () => {
  await ui?.close();
  await f?.cleanup();
  await tracker?.close();
  await emulator?.close();
});

describe('actions served by the HQ server', () => {
  it('offers Outsource on the ftrack hub and queues the delivery in the server', async () => {
    const user = await tracker.getUser({ username: CORA });
    const cora = { id: user!.id, username: CORA };
    const context = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    const selection = [{ entityType: 'task', entityId: context!.task.id }];
    const offered = await ui.discover(selection, cora, { expected: 2 });
    expect(offered.map((a) => a.actionIdentifier)).toEqual(expect.arrayContaining(['outsource', 'task-info']));

    const [reply] = await ui.launch(offered.find((a) => a.actionIdentifier === 'outsource')!, selection, cora, undefined, { expected: 1 });
    expect(reply, JSON.stringify(reply && { ...reply, event: undefined })).toMatchObject({ type: 'message', success: true });

    const jobs = (await f.api<{ jobs: Job[] }>('/api/jobs?vendor=CompersInc', { token: ADMIN })).body.jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ destination: { kind: 'vendor', vendor: 'CompersInc' } });
    const { tasks } = (await f.api<{ tasks: Task[] }>(`/api/jobs/${jobs[0]!.id}/tasks`)).body;
    expect(tasks.map((t) => t.source)).toContain('scd/0010/0010/src/plates');
  }, 30_000);
});
