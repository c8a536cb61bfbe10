import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../../lib/cli/main.ts';
import { startFtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { createFtrackTracker } from '../../../../lib/tracker/ftrack/index.ts';
import { createEmbeddedTransfer } from '../../../../lib/transfer/index.ts';
import { memoryIo } from '../../../support/cli-io.ts';
import { demoFiles, writeFiles } from '../../../support/outsource-studio.ts';

const yymmdd = () => new Date().toISOString().slice(2, 10).replaceAll('-', '');

describe('handoff outsource', () => {
  let dir: string;
  let config: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-cli-outsource-'));
    await writeFiles(path.join(dir, 'proj'), demoFiles());
    config = path.join(dir, 'handoff.yaml');
    await writeFile(
      config,
      [
        'tracker: { type: memory, memory: { seed: demo } }',
        `volumes: { proj: { path: ${JSON.stringify(path.join(dir, 'proj'))} } }`,
        'vendors:',
        '  CompersInc: { name: Compers Inc, users: [emma@compersinc.example] }',
        'outsource:',
        '  rules:',
        '    Cleanup: { send: [{ template: plates, globs: ["*.exr"] }] }',
        `transfer: { dataDir: ${JSON.stringify(path.join(dir, 'data'))} }`,
        '',
      ].join('\n'),
    );
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const run = async (...args: string[]) => {
    const io = memoryIo({ NO_COLOR: '1' });
    const code = await main(['node', 'handoff', '--config', config, ...args], io.io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };

  it('queues tasks given by path into today\'s job and prints a JSON envelope', async () => {
    const { code, stdout } = await run('outsource', '--task', 'scd/0010/0010/cleanup', 'mtn/0100/0010/cleanup', '--json');
    expect(code).toBe(0);
    const envelope = JSON.parse(stdout) as { ok: boolean; data: { deliveries: { job: string; status: string; files: number; added: number }[]; manifests: { hashed: number }[] } };
    expect(envelope.ok).toBe(true);
    expect(envelope.data.deliveries).toMatchObject([
      { job: `Outsource - download - scd - CompersInc - ${yymmdd()}`, status: 'sent', files: 10, added: 12 },
      { job: `Outsource - download - mtn - CompersInc - ${yymmdd()}`, status: 'sent', files: 10, added: 12 },
    ]);
    expect(envelope.data.manifests.map((m) => m.hashed)).toEqual([11, 11]);

    const transfer = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), schedule: false });
    try {
      const job = await transfer.findJob(`Outsource - download - scd - CompersInc - ${yymmdd()}`);
      const tasks = await transfer.listTasks(job!.id);
      expect(tasks.find((t) => t.metadata.kind === 'manifest')?.status).toBe('queued');
    } finally {
      await transfer.close();
    }
    const again = await run('outsource', '--task', 'scd/0010/0010/cleanup');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Queued 1 task (10 files, 250 B) again to Compers Inc in 'Outsource - download - scd - CompersInc - ${yymmdd()}'`);
  });

  it('runs on the demo studio with the shipped config when no config file exists', async () => {
    const io = memoryIo({ NO_COLOR: '1', HANDOFF_PROJ_ROOT: path.join(dir, 'proj'), HANDOFF_DATA_DIR: path.join(dir, 'data') });
    const code = await main(['node', 'handoff', 'outsource', '--task', 'scd/0010/0010/cleanup', '--json'], io.io);
    expect(code).toBe(0);
    const envelope = JSON.parse(io.stdout()) as { data: { deliveries: { job: string; status: string; files: number }[] } };
    expect(envelope.data.deliveries).toMatchObject([{ job: `Outsource - download - scd - CompersInc - ${yymmdd()}`, status: 'sent', files: 11 }]);
  });

  it('uses the configured ftrack tracker and updates the task there', async () => {
    const emulator = await startFtrackEmulator({ seed: 'demo' });
    try {
      const text = (await readFile(config, 'utf8')).replace(
        'tracker: { type: memory, memory: { seed: demo } }',
        `tracker: { type: ftrack, ftrack: { serverUrl: ${JSON.stringify(emulator.url)}, user: ${JSON.stringify(emulator.user)}, apiKey: ${JSON.stringify(emulator.apiKey)} } }`,
      );
      await writeFile(config, text);
      const { code, stdout } = await run('outsource', '--task', 'scd/0010/0010/cleanup', '--note', 'Keep the grain', '--json');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ ok: true, data: { deliveries: [{ status: 'sent', files: 10, added: 12 }] } });
      const tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
      try {
        const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
        expect(task?.task.status.name).toBe('Outsourced');
        const notes = await tracker.listNotes({ kind: 'task', id: task!.task.id });
        expect(notes.at(-1)?.content).toMatch(/^Outsourced to Compers Inc in 'Outsource - download - scd - CompersInc - \d{6}'[\s\S]*Keep the grain$/);
      } finally {
        await tracker.close();
      }
    } finally {
      await emulator.close();
    }
  });

  it('asks for --vendor when a task has no vendor assignee, naming the choices', async () => {
    const { code, stdout } = await run('outsource', '--task', 'scd/0020/0010/cleanup', '--json');
    expect(code).toBe(2); // a missing option: usage
    const envelope = JSON.parse(stdout) as { ok: boolean; error: { code: string; hint: string } };
    expect(envelope.error).toMatchObject({ code: 'OUTSOURCE_VENDOR_REQUIRED', hint: 'Add --vendor with one of: CompersInc.' });
    const chosen = await run('outsource', '--task', 'scd/0020/0010/cleanup', '--vendor', 'CompersInc');
    expect(chosen.code).toBe(0);
  });

  it('says per task why nothing was outsourced, and fails', async () => {
    const { code, stdout } = await run('outsource', '--task', 'nope');
    expect(code).toBe(1);
    expect(stdout.trim()).toBe('nope: not outsourced: No task with id "nope"');
  });
});
