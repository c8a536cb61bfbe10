import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../lib/cli/main.ts';
import type { PrepublishResponse } from '../../../../lib/vendor-publish/index.ts';
import { tempDir } from '../../../support/media-fixtures.ts';
import { tinySeed, vendorResult } from '../../vendor-publish/studio.ts';

let dir: string;
let cleanup: () => Promise<void>;
let out: string[];
let seed: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('handoff-cli-vendor-'));
  seed = path.join(dir, 'studio.yaml');
  await writeFile(seed, yaml.dump(tinySeed));
  out = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void out.push(line));
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await cleanup();
});

const run = (...args: string[]) => main(['node', 'handoff', ...args]);

describe('handoff prepublish', () => {
  it('prints the verdicts as JSON and exits 1 when a folder is rejected', async () => {
    const good = await vendorResult(path.join(dir, 'drop'));
    const near = await vendorResult(path.join(dir, 'drop'), 'scd-0010-0010-Cleanup-v1');
    const code = await run('prepublish', good, near, '--seed', seed, '--json');
    expect(code).toBe(1);
    const response = JSON.parse(out.join('\n')) as PrepublishResponse;
    expect(response.folders.map((f) => [f.filename, f.verdict])).toEqual([['scd_0010_0010_cleanup_v001', 'can_publish'], ['scd-0010-0010-Cleanup-v1', 'rejected']]);
    expect(response.folders[1]?.messages.find((m) => m.level === 'error')?.hint).toBe('Rename the folder to scd_0010_0010_cleanup_v001.');
  });

  it('names an unknown vendor', async () => {
    const good = await vendorResult(dir);
    expect(await run('prepublish', good, '--vendor', 'Nobody', '--seed', seed, '--json')).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ error: { code: 'PUBLISH_VENDOR_UNKNOWN', hint: 'Use one of: CompersInc.' } });
  });
});

describe('handoff publish', () => {
  it('refuses when fields are missing and nothing can be asked', async () => {
    const good = await vendorResult(dir);
    expect(await run('publish', good, '--seed', seed, '--yes', '--json')).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ error: { code: 'PUBLISH_FIELDS_MISSING', details: { missing: ['comment', 'time'] } } });
  });

  it('uploads, lands and publishes locally', async () => {
    const good = await vendorResult(path.join(dir, 'drop'));
    const hq = path.join(dir, 'hq');
    await mkdir(hq);
    const code = await run('publish', good, '--seed', seed, '--comment', 'Done.', '--time', '3h30m', '--yes', '--hq-root', hq, '--data-dir', path.join(dir, 'data'), '--json');
    const result = JSON.parse(out.join('\n')) as { job: { status: string; metadata: Record<string, { fields: unknown }> }; publish: string };
    expect(code).toBe(0);
    expect(result.job.status).toBe('done');
    expect(result.job.metadata.handoff_publish?.fields).toEqual({ comment: 'Done.', timeSpent: 12_600, status: 'Pending review' });
    expect(result.publish).toContain('scd_0010_0010_cleanup_v001: version 1 published at scd/0010/0010/publish/cleanup/scd_0010_0010_cleanup_v001');
    expect(await readdir(path.join(hq, 'scd/0010/0010/publish/cleanup/scd_0010_0010_cleanup_v001'))).toHaveLength(10);
  }, 60_000);
});
