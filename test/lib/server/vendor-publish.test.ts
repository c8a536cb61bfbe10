/** The vendor endpoints with a tracker: pre-publish verdicts per folder, and vendors HQ does not know. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, shippedDefaultConfig } from '../../../lib/core/config/index.ts';
import { createMemoryTracker, loadStudioSeed, type Tracker } from '../../../lib/tracker/index.ts';
import { startServer, type ServerFixture } from './fixture.ts';

let tracker: Tracker;
let f: ServerFixture;

beforeAll(async () => {
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
  const config = await loadConfig(shippedDefaultConfig, { env: { ...process.env, HANDOFF_TRACKER: 'memory' } });
  f = await startServer({ tracker, config });
});
afterAll(async () => {
  await f?.cleanup();
  await tracker?.close();
});

const frames = (first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, i) => ({ filename: `scd_0010_0010_cleanup_v001.${first + i}.exr`, is_dir: false, size: 1000 }));

describe('vendor publish endpoints', () => {
  it('answers a verdict for each dropped folder, and a rejection a person can act on for a bad name', async () => {
    const files = [
      { id: 'a', filename: 'scd_0010_0010_cleanup_v001', is_dir: true, size: 0, files: frames(993, 1108) },
      { id: 'b', filename: 'my_render_final', is_dir: true, size: 0, files: frames(1001, 1002) },
    ];
    const answer = await f.api<{ folders: { id: string; filename: string; verdict: string; messages: { title: string }[] }[]; fields: { statuses: unknown[] } }>(
      '/api/vendor/prepublish',
      { body: { vendor: 'CompersInc', user: 'emma@compersinc.example', files } },
    );
    expect(answer.status).toBe(200);
    const byId = new Map(answer.body.folders.map((folder) => [folder.id, folder]));
    expect(byId.get('a')).toMatchObject({ filename: 'scd_0010_0010_cleanup_v001', verdict: expect.stringMatching(/^(can_publish|warning)$/) });
    expect(byId.get('b')).toMatchObject({ verdict: 'rejected', messages: [expect.objectContaining({ title: expect.any(String) })] });
    expect(answer.body.fields.statuses.length).toBeGreaterThan(0);
    const log = await f.api<{ events: { type: string; message: string }[] }>('/api/events');
    expect(log.body.events.find((e) => e.type === 'prepublish')?.message).toMatch(/1 publishable, 1 rejected/);
  });

  it('refuses a vendor the HQ config does not list, naming the known ones', async () => {
    const answer = await f.api<{ error: { code: string; details: { known: string[] } } }>('/api/vendor/prepublish', {
      body: { vendor: 'Nobody', user: 'emma@compersinc.example', files: [] },
    });
    expect(answer.body.error).toMatchObject({ code: 'SERVER_VENDOR_UNKNOWN', details: { known: ['CompersInc'] } });
  });
});
