/** The studio config feeds the vendor publish: vendors, file types per task type, destination, status. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, shippedDefaultConfig } from '../../../lib/core/config/index.ts';
import type { HandoffConfig } from '../../../lib/core/config/index.ts';
import { planPublish } from '../../../lib/publish/index.ts';
import { createMemoryTracker, loadStudioSeed } from '../../../lib/tracker/index.ts';
import type { MemoryTracker } from '../../../lib/tracker/index.ts';
import { applyPublishConfig, prepublish, vendorFromConfig, vendorStatuses } from '../../../lib/vendor-publish/index.ts';
import { emma, folder, frames } from './support.ts';

let config: HandoffConfig;
let tracker: MemoryTracker;
beforeEach(async () => {
  config = await loadConfig(shippedDefaultConfig, { env: {} });
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
});
afterEach(() => tracker.close());

describe('vendor publish from the config', () => {
  it('reads the vendor and refuses an unknown code, naming the known ones', () => {
    expect(vendorFromConfig(config, 'CompersInc')).toEqual({
      code: 'CompersInc', group: 'Compers Inc', users: ['emma@compersinc.example'], home: '_VENDORS/CompersInc', fromClient: 'FROM_CLIENT',
    });
    expect(() => vendorFromConfig(config, 'Nobody')).toThrow(expect.objectContaining({ code: 'PUBLISH_VENDOR_NOT_FOUND', hint: 'Use one of: CompersInc.' }));
  });

  it('applies file types per task type, the destination and the status', async () => {
    const custom = {
      ...config,
      publish: { ...config.publish, extensions: { default: ['exr'], Roto: ['nk'] }, destination: 'publish/{project}/{shot}/{folder}', status: 'In progress' },
    };
    const plan = applyPublishConfig(await planPublish(), custom);
    const files = [folder('scd_0010_0020_roto_v001', [...frames('r', 993, 1056), { filename: 'r.nk', is_dir: false, size: 9 }])];
    const response = await prepublish({ vendor: vendorFromConfig(custom, 'CompersInc'), user: emma, files }, { tracker, plan, statuses: vendorStatuses(custom) });
    const [roto] = response.folders;
    expect(roto?.messages.filter((m) => m.level === 'error')).toEqual([
      expect.objectContaining({ title: 'File type not allowed', message: expect.stringContaining('.exr (64: r.0993.exr, r.0994.exr, r.0995.exr …)') }),
    ]);
    expect(response.fields.statuses.map((s) => [s.value, s.default ?? false])).toEqual([['In progress', true], ['Pending review', false]]);
    const extensions = { default: ['exr'], roto: ['exr', 'nk'] };
    const ok = applyPublishConfig(await planPublish(), { ...custom, publish: { ...custom.publish, extensions } });
    const again = await prepublish({ vendor: vendorFromConfig(custom, 'CompersInc'), user: emma, files }, { tracker, plan: ok });
    expect(again.folders[0]).toMatchObject({ verdict: 'can_publish', destination: 'publish/scd/0020/scd_0010_0020_roto_v001' });
  });
});
