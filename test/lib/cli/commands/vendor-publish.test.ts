import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../../lib/cli/exit-codes.ts';
import { main } from '../../../../lib/cli/main.ts';
import type { PrepublishResponse } from '../../../../lib/vendor-publish/index.ts';
import { memoryIo } from '../../../support/cli-io.ts';
import { tempDir } from '../../../support/media-fixtures.ts';
import { tinySeed, vendorResult } from '../../vendor-publish/studio.ts';

let dir: string;
let cleanup: () => Promise<void>;
let seed: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('handoff-cli-vendor-'));
  seed = path.join(dir, 'studio.yaml');
  await writeFile(seed, yaml.dump(tinySeed));
});
afterEach(() => cleanup());

async function run(...args: string[]) {
  const mem = memoryIo();
  const code = await main(['node', 'handoff', ...args], mem.io);
  return { code, stdout: mem.stdout(), stderr: mem.stderr() };
}

describe('handoff prepublish', () => {
  it('prints the verdicts as JSON and exits as invalid input when a folder is rejected', async () => {
    const good = await vendorResult(path.join(dir, 'drop'));
    const near = await vendorResult(path.join(dir, 'drop'), 'scd-0010-0010-Cleanup-v1');
    const { code, stdout } = await run('prepublish', good, near, '--seed', seed, '--json');
    expect(code).toBe(ExitCode.invalid);
    const response = (JSON.parse(stdout) as { data: PrepublishResponse }).data;
    expect(response.folders.map((f) => [f.filename, f.verdict])).toEqual([['scd_0010_0010_cleanup_v001', 'can_publish'], ['scd-0010-0010-Cleanup-v1', 'rejected']]);
    expect(response.folders[1]?.messages.find((m) => m.level === 'error')?.hint).toBe('Rename the folder to scd_0010_0010_cleanup_v001.');
  });

  it('shows the feedback for people, with how to fix each problem', async () => {
    const near = await vendorResult(dir, 'scd-0010-0010-Cleanup-v1');
    const { stdout } = await run('prepublish', near, '--seed', seed);
    expect(stdout).toContain('scd-0010-0010-Cleanup-v1  ✖ rejected');
    expect(stdout).toContain('→ Rename the folder to scd_0010_0010_cleanup_v001.');
    expect(stdout).toContain('0 of 1 folder(s) can be published.');
  });

  it('names an unknown vendor', async () => {
    const good = await vendorResult(dir);
    const { code, stdout } = await run('prepublish', good, '--vendor', 'Nobody', '--seed', seed, '--json');
    expect(code).toBe(ExitCode.notFound);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'PUBLISH_VENDOR_NOT_FOUND', hint: 'Use one of: CompersInc.' } });
  });
});

describe('handoff publish', () => {
  it('refuses when fields are missing and nothing can be asked', async () => {
    const good = await vendorResult(dir);
    const { code, stdout } = await run('publish', good, '--seed', seed, '--yes', '--json');
    expect(code).toBe(ExitCode.invalid);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'PUBLISH_FIELDS_MISSING', details: { missing: ['comment', 'time'] } } });
  });

  it('uploads, lands and publishes locally', async () => {
    const good = await vendorResult(path.join(dir, 'drop'));
    const hq = path.join(dir, 'hq');
    await mkdir(hq);
    const { code, stdout } = await run('publish', good, '--seed', seed, '--comment', 'Done.', '--time', '3h30m', '--yes', '--hq-root', hq, '--data-dir', path.join(dir, 'data'), '--json');
    const result = (JSON.parse(stdout) as { data: { job: { status: string; metadata: Record<string, { fields: unknown }> }; publish: string } }).data;
    expect(code).toBe(ExitCode.ok);
    expect(result.job.status).toBe('done');
    expect(result.job.metadata.handoff_publish?.fields).toEqual({ comment: 'Done.', timeSpent: 12_600, status: 'Pending review' });
    expect(result.publish).toContain('scd_0010_0010_cleanup_v001: version 1 published at scd/0010/0010/publish/cleanup/scd_0010_0010_cleanup_v001');
    expect(await readdir(path.join(hq, 'scd/0010/0010/publish/cleanup/scd_0010_0010_cleanup_v001'))).toHaveLength(10);
  }, 60_000);
});
