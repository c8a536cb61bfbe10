import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSubmitAllowed, createHookRuntime, defineHook, jobHookPayload, loadHooks, runJobHooks } from '../../../lib/hooks/index.ts';
import type { Job, JobEvent, Task, TransferAdapter } from '../../../lib/transfer/types.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-hooks-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function writeHook(folder: string, name: string, body: string): Promise<void> {
  await mkdir(path.join(folder, name), { recursive: true });
  await writeFile(path.join(folder, name, 'hook.ts'), `import { defineHook } from 'handoff/sdk';\n${body}\n`);
}

describe('hook runtime', () => {
  it('runs every post-done hook even after one fails, in order', async () => {
    const seen: string[] = [];
    const runtime = createHookRuntime({
      hooks: [
        defineHook({ on: 'job.post-done', name: 'first', handler: () => { seen.push('first'); throw new Error('no'); } }),
        defineHook({ on: 'job.post-done', name: 'second', handler: () => void seen.push('second') }),
        defineHook({ on: 'job.post-failed', name: 'other', handler: () => void seen.push('other') }),
      ],
    });
    const results = await runtime.run('job.post-done', jobHookPayload('job.post-done', job, [], () => undefined));
    expect(seen).toEqual(['first', 'second']);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
  });

  it('stops pre-submit at the first refusal and turns it into an error', async () => {
    const runtime = createHookRuntime({
      hooks: [
        defineHook({ on: 'job.pre-submit', name: 'quota', handler: () => { throw new Error('vendor over quota'); } }),
        defineHook({ on: 'job.pre-submit', name: 'never', handler: () => { throw new Error('should not run'); } }),
      ],
    });
    const results = await runtime.run('job.pre-submit', jobHookPayload('job.pre-submit', job, [], () => undefined));
    expect(results).toHaveLength(1);
    expect(() => assertSubmitAllowed(results)).toThrow(expect.objectContaining({ code: 'HOOK_REFUSED', message: expect.stringContaining('vendor over quota') }));
  });

  it('refuses two hooks with one name at one moment', () => {
    const hook = defineHook({ on: 'job.post-done', name: 'twin', handler: () => 1 });
    expect(() => createHookRuntime({ hooks: [hook, hook] })).toThrow(expect.objectContaining({ code: 'HOOK_DUPLICATE' }));
  });
});

describe('loading hooks', () => {
  it('loads hook folders and command entries, skipping folders starting with _', async () => {
    const folder = path.join(dir, 'ok');
    await writeHook(folder, 'publish-on-done', `export default defineHook({ on: 'job.post-done', name: 'publish', handler: () => 'published' });`);
    await writeHook(folder, '_example', `export default defineHook({ on: 'job.post-done', name: 'example', handler: () => 1 });`);
    const hooks = await loadHooks({ folders: [folder], entries: [{ on: 'job.post-failed', command: 'echo ${PATH_JSON_INPUT}' }] });
    expect(hooks.map((h) => [h.kind, h.on, h.name])).toEqual([
      ['module', 'job.post-done', 'publish'],
      ['command', 'job.post-failed', 'command-0'],
    ]);
    const results = await createHookRuntime({ hooks }).run('job.post-done', jobHookPayload('job.post-done', job, [], () => undefined));
    expect(results[0]).toMatchObject({ ok: true, output: 'published' });
  });

  it('fails at load, naming the file, for an unknown moment', async () => {
    const folder = path.join(dir, 'bad');
    await writeHook(folder, 'typo', `export default defineHook({ on: 'job.post-dne', name: 'typo', handler: () => 1 });`);
    await expect(loadHooks({ folders: [folder] })).rejects.toMatchObject({ code: 'HOOK_UNKNOWN_LIFECYCLE' });
    await expect(loadHooks({ entries: [{ on: 'after-lunch', command: 'true' }] })).rejects.toMatchObject({
      code: 'HOOK_UNKNOWN_LIFECYCLE',
      message: expect.stringContaining('hooks[0]'),
    });
  });

  it('says which file has no defineHook default export', async () => {
    const folder = path.join(dir, 'noexport');
    await mkdir(path.join(folder, 'plain'), { recursive: true });
    await writeFile(path.join(folder, 'plain', 'hook.ts'), 'export const x = 1;\n');
    await expect(loadHooks({ folders: [folder] })).rejects.toMatchObject({ code: 'HOOK_INVALID', message: expect.stringContaining('plain') });
  });
});

describe('job hooks on transfer events', () => {
  it('builds the payload studios expect and runs post-done hooks for finished jobs', async () => {
    const inputs: unknown[] = [];
    const runtime = createHookRuntime({ hooks: [defineHook({ on: 'job.post-done', name: 'rec', handler: (input) => void inputs.push(input) })] });
    const events: JobEvent[] = [
      { type: 'job.progress', job },
      { type: 'job.post-done', job: { ...job, status: 'done' }, tasks: [task] },
    ];
    const controller = new AbortController();
    const transfer = { watch: () => (async function* () { yield* events; })() } as unknown as TransferAdapter;
    const recorded: string[] = [];
    await runJobHooks({
      transfer,
      runtime,
      signal: controller.signal,
      resolve: (party, rel) => (party.kind === 'hq' ? `/mnt/proj/${rel}` : undefined),
      onResults: (jobId, results) => recorded.push(`${jobId}:${results.length}`),
    });
    expect(recorded).toEqual(['job-1:1']);
    expect(inputs[0]).toMatchObject({
      hook: 'job.post-done',
      name: 'Outsource - download - scd - CompersInc - 261121',
      status: 'done',
      size: 2048,
      source_hr: 'hq:proj',
      destination_hr: 'vendor:CompersInc',
      tasks: { '0': { source: { path: 'scd/0010/0010/src/plates', path_abs: '/mnt/proj/scd/0010/0010/src/plates' }, destination: { path: 'scd/0010/0010/src/plates' } } },
    });
  });
});

const job: Job = {
  id: 'job-1',
  name: 'Outsource - download - scd - CompersInc - 261121',
  status: 'running',
  queue: 'default',
  source: { kind: 'hq', volume: 'proj' },
  destination: { kind: 'vendor', vendor: 'CompersInc' },
  mirrorPaths: true,
  metadata: {},
  createdAt: new Date('2026-11-21T08:00:00Z'),
  progress: { fraction: 0, bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, speed: 0 },
};

const task: Task = {
  id: 'task-1',
  jobId: 'job-1',
  source: 'scd/0010/0010/src/plates',
  destination: 'scd/0010/0010/src/plates',
  priority: 500,
  status: 'done',
  bytesTotal: 2048,
  bytesDone: 2048,
  files: 2,
  attempts: 1,
  metadata: { trackerTaskId: 't1' },
  createdAt: new Date('2026-11-21T08:00:00Z'),
};
