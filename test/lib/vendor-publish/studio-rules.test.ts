/**
 * The studio's vocabulary and the landing comparisons: vendor statuses in any
 * case, the version policy, the naming example from the template and a real
 * task, what counts as extra, missing or resized, and frame facts sent from
 * outside.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, shippedDefaultConfig } from '../../../lib/core/config/index.ts';
import type { HandoffConfig } from '../../../lib/core/config/index.ts';
import { createMemoryTracker, loadStudioSeed } from '../../../lib/tracker/index.ts';
import type { MemoryTracker } from '../../../lib/tracker/index.ts';
import { mediaDifferences, mediaFactsOf, prepublishServiceFromConfig, vendorFromConfig } from '../../../lib/vendor-publish/index.ts';
import { fileDifferences } from '../../../lib/vendor-publish/landing-check.ts';
import { cleanupFolder, emma } from './support.ts';

let config: HandoffConfig;
let tracker: MemoryTracker;
beforeEach(async () => {
  config = await loadConfig(shippedDefaultConfig, { env: {} });
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
});
afterEach(() => tracker.close());

async function judge(publish: Partial<HandoffConfig['publish']>, name = 'scd_0010_0010_cleanup_v001') {
  const studio = { ...config, publish: { ...config.publish, ...publish } };
  const service = await prepublishServiceFromConfig(studio, { tracker, hooks: [] });
  return service.prepublish({ vendor: vendorFromConfig(studio, 'CompersInc'), user: emma, files: [cleanupFolder(name)] });
}

describe('studio vocabulary from the config', () => {
  it('matches vendor statuses without regard to case and answers the tracker spelling; an unknown one names the known', async () => {
    const response = await judge({ status: 'PENDING REVIEW', vendorStatuses: ['in progress', 'pending review'] });
    expect(response.fields.statuses).toEqual([
      { label: 'Pending review', value: 'Pending review', default: true },
      { label: 'In progress', value: 'In progress' },
    ]);
    await expect(judge({ vendorStatuses: ['Awaiting client'] })).rejects.toMatchObject({
      code: 'PUBLISH_STATUS_UNKNOWN', details: { missing: ['Awaiting client'] },
    });
  });

  it('refuses a version gap under `next` and accepts it with a warning under `increasing`', async () => {
    const strict = await judge({}, 'scd_0010_0010_cleanup_v005');
    expect(strict.folders[0]).toMatchObject({ verdict: 'rejected', messages: expect.arrayContaining([expect.objectContaining({ title: 'Version out of order' })]) });
    const lenient = await judge({ versionPolicy: 'increasing' }, 'scd_0010_0010_cleanup_v005');
    expect(lenient.folders[0]).toMatchObject({ verdict: 'warning', version: 5 });
    expect(lenient.folders[0]!.messages).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'warning', message: expect.stringContaining('v005 skips v001-v004') })]));
  });

  it('builds the naming example from the studio template and a task of the drop', async () => {
    const studio = { ...config, naming: { ...config.naming, publishFolder: '{project}-{sequence}-{shot}-{task}-v{version:03}' } };
    const service = await prepublishServiceFromConfig(studio, { tracker, hooks: [] });
    const response = await service.prepublish({ vendor: vendorFromConfig(studio, 'CompersInc'), user: emma, files: [cleanupFolder('scd-0010-0010-cleanup-v001')] });
    expect(response.guidelines).toBe('One folder per task, named {project}-{sequence}-{shot}-{task}-v{version:03}, e.g. scd-0010-0010-cleanup-v001.');
  });
});

describe('landing comparisons', () => {
  it('names files that are extra, missing or of another size', () => {
    const validated = [{ path: 'a.exr', size: 10 }, { path: 'b.exr', size: 10 }, { path: 'sub/c.exr', size: 10 }];
    expect(fileDifferences(validated, validated)).toEqual([]);
    expect(fileDifferences(validated, [{ path: 'a.exr', size: 11 }, { path: 'sub/c.exr', size: 10 }, { path: 'evil.sh', size: 3 }])).toEqual([
      '1 file(s) that were not validated: evil.sh',
      '1 validated file(s) missing: b.exr',
      '1 file(s) changed size: a.exr (11 bytes, validated as 10)',
    ]);
  });

  it('keeps only well-formed frame facts from outside and says how landed frames differ, with the numbers', () => {
    const sent = mediaFactsOf([
      { frame: 'plate.1001.exr', format: 'exr', width: 1920, height: 1080, channels: ['B', 'G', 'R'], compression: 'zip' },
      { frame: 'x.exr', format: 'exr', width: -1, height: 10, channels: [] },
      'junk',
    ]);
    expect(sent).toHaveLength(1);
    const landed = [{ frame: 'plate.1001.exr', format: 'exr', width: 384, height: 216, channels: ['B', 'G', 'R'], compression: 'zip' }];
    expect(mediaDifferences(sent, landed)).toEqual(['plate.1001.exr is 384x216, sent as 1920x1080']);
    expect(mediaDifferences(sent, [undefined])).toEqual([expect.stringContaining('not a readable image')]);
    expect(mediaDifferences(sent, sent)).toEqual([]);
  });
});
