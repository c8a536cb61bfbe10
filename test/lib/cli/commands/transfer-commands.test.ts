import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../../lib/cli/exit-codes.ts';
import { main } from '../../../../lib/cli/main.ts';
import { dailyJobName, toVolumePath } from '../../../../lib/cli/commands/send.ts';
import { writeTree } from '../../../conformance/transfer-helpers.ts';
import { memoryIo } from '../../../support/cli-io.ts';
import { tempRoots } from '../../transfer/setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Runs the CLI in-process with --json and returns the exit code and the envelope's data or error. */
async function run(args: string[]): Promise<{ code: number; data: unknown; error?: { code: string } }> {
  const mem = memoryIo();
  const code = await main(['node', 'handoff', ...args], mem.io);
  const envelope = JSON.parse(mem.stdout()) as { ok: boolean; data?: unknown; error?: { code: string } };
  return { code, data: envelope.data, ...(envelope.error ? { error: envelope.error } : {}) };
}

describe('handoff send and jobs', () => {
  it('sends a folder to a vendor with mirrored paths and steers the job', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const hq = tmp.roots.hq.proj;
    await writeTree(hq, { 'scd/0010/plates/a.exr': 150_000, 'scd/0010/notes.txt': 10 });
    const common = ['--data-dir', tmp.dataDir, '--hq-root', hq, '--vendor-root', `CompersInc=${tmp.roots.vendors.CompersInc}`, '--json'];
    const sent = await run(['send', path.join(hq, 'scd/0010'), '--to', 'CompersInc', '--name', 'cli-job', '--priority', '700', ...common]);
    expect(sent.code).toBe(0);
    const result = sent.data as { job: { id: string; status: string }; added: number };
    expect(result).toMatchObject({ job: { status: 'done' }, added: 1 });
    const delivered = await readFile(path.join(tmp.roots.vendors.CompersInc, 'scd/0010/plates/a.exr'));
    expect(delivered.equals(await readFile(path.join(hq, 'scd/0010/plates/a.exr')))).toBe(true);

    const listed = (await run(['jobs', 'list', ...common])).data as { name: string; status: string }[];
    expect(listed.map((job) => [job.name, job.status])).toEqual([['cli-job', 'done']]);
    const shown = (await run(['jobs', 'show', 'cli-job', ...common])).data as { tasks: { source: string; priority: number; status: string }[] };
    expect(shown.tasks).toMatchObject([{ source: 'scd/0010', priority: 700, status: 'done' }]);
    const paused = (await run(['jobs', 'pause', result.job.id, ...common])).data as { status: string };
    expect(paused.status).toBe('done');
    const missing = await run(['jobs', 'retry', 'no-such-job', ...common]);
    expect(missing.error).toMatchObject({ code: 'TRANSFER_JOB_NOT_FOUND' });
    expect(missing.code).toBe(ExitCode.notFound);
  });

  it('queues without running when detached, into a vendor folder when given', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const hq = tmp.roots.hq.proj;
    await mkdir(path.join(hq, 'refs'), { recursive: true });
    await writeTree(hq, { 'refs/mood.jpg': 1000 });
    const common = ['--data-dir', tmp.dataDir, '--hq-root', hq, '--json'];
    const sent = (await run(['send', path.join(hq, 'refs/mood.jpg'), '--to', 'CompersInc:incoming', '--detach', ...common])).data as { job: { id: string; status: string; name: string } };
    expect(sent.job.status).toBe('waiting');
    expect(sent.job.name).toBe(dailyJobName('CompersInc'));
    const shown = (await run(['jobs', 'show', sent.job.id, ...common])).data as { tasks: { destination: string; status: string }[] };
    expect(shown.tasks).toMatchObject([{ destination: 'incoming/mood.jpg', status: 'queued' }]);
    const excluded = (await run(['jobs', 'exclude', sent.job.id, '--task', (shown.tasks[0] as unknown as { id: string }).id, ...common])).data as { status: string }[];
    expect(excluded.map((t) => t.status)).toEqual(['excluded']);
  });

  it('refuses sources outside the HQ root', () => {
    expect(() => toVolumePath('/etc/passwd', '/srv/proj')).toThrow(expect.objectContaining({ code: 'CLI_SOURCE_OUTSIDE_ROOT' }));
    expect(toVolumePath('/srv/proj/scd/a.exr', '/srv/proj')).toBe('scd/a.exr');
  });
});
