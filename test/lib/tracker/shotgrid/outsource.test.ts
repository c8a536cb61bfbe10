/**
 * The Outsource flow on the ShotGrid tracker (over real HTTP against the emulator),
 * delivering with the embedded transfer core: contexts read from ShotGrid reach the
 * vendor's description, and the task's status and one note are written back once.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startShotgridEmulator, type ShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import { createOutsource, parseOutsourceSettings, type Outsource } from '../../../../lib/outsource/index.ts';
import { createShotgridTracker, type ShotgridTracker } from '../../../../lib/tracker/shotgrid/index.ts';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../../lib/transfer/index.ts';
import { CORA, TODAY, demoFiles, writeFiles } from '../../../support/outsource-studio.ts';
import { waitForJobEnd } from '../../../support/transfer-wait.ts';

const JOB = 'Outsource - download - scd - CompersInc - 261121';

let dir: string;
let emulator: ShotgridEmulator;
let tracker: ShotgridTracker;
let transfer: EmbeddedTransfer;
let outsource: Outsource;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-outsource-shotgrid-'));
  const volume = path.join(dir, 'proj');
  await writeFiles(volume, demoFiles());
  await mkdir(path.join(dir, 'compers'));
  emulator = await startShotgridEmulator({ seed: 'demo' });
  tracker = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey });
  transfer = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots: { hq: { proj: volume }, vendors: { CompersInc: path.join(dir, 'compers') } } });
  const settings = parseOutsourceSettings({
    studio: 'Acme VFX',
    volumes: { proj: volume },
    vendors: { CompersInc: { name: 'Compers Inc', users: ['emma@compersinc.example'] } },
    rules: { Cleanup: { send: [{ template: 'plates', globs: ['*.exr'] }, { template: 'references', optional: true }] } },
  });
  outsource = createOutsource({ settings, transfer, dataDir: path.join(dir, 'data'), now: () => TODAY });
});
afterEach(async () => {
  await tracker?.close();
  await emulator?.close();
  await transfer?.close();
  await rm(dir, { recursive: true, force: true });
});

it('outsources a ShotGrid task: delivers its files and description, sets Outsourced and adds one note however often it runs', async () => {
  const context = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
  const userId = (await tracker.getUser({ username: CORA }))!.id;
  for (let run = 0; run < 2; run++) {
    const result = await outsource.outsource({ tracker, taskIds: [context!.task.id], userId });
    if (result.type !== 'queued') return expect.unreachable(`expected the task to be queued, got ${result.type}`);
    expect(result.deliveries).toHaveLength(1);
    await result.finish();
  }
  const job = await transfer.findJob(JOB);
  await waitForJobEnd(transfer, job!.id);
  const description = await readFile(path.join(dir, 'compers/scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_description.html'), 'utf8');
  expect(description).toContain('993–1108 (handles 8 + 8, 116 frames)');
  expect(description).toContain('Remove the boom mic');

  const after = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
  expect(after?.task.status.name).toBe('Outsourced');
  const notes = await tracker.listNotes({ kind: 'task', id: context!.task.id });
  const mine = notes.filter((n) => n.content.startsWith(`Outsourced to Compers Inc in '${JOB}'`));
  expect(mine).toHaveLength(1);
  expect(mine[0]?.author?.username).toBe(CORA);
});
