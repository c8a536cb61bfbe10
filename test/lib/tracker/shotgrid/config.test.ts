/** `tracker.type: shotgrid` in the studio config, and the server opening the ShotGrid tracker from it. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseConfig } from '../../../../lib/core/config/index.ts';
import { createTracker } from '../../../../lib/tracker/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-sg-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const yaml = (extra = ''): string => `tracker:\n  type: shotgrid\n  shotgrid:\n    siteUrl: https://acme.shotgrid.autodesk.com\n    scriptName: handoff\n${extra}`;

it('defaults the project code field, poll interval and key field', () => {
  const config = parseConfig(yaml(), path.join(dir, 'handoff.yaml'), {});
  expect(config.tracker).toMatchObject({
    type: 'shotgrid',
    shotgrid: { siteUrl: 'https://acme.shotgrid.autodesk.com', scriptName: 'handoff', scriptKey: '', projectCodeField: 'code', pollInterval: 10, keyField: 'sg_handoff_key' },
  });
});

it('takes the key from ${SHOTGRID_SCRIPT_KEY} in the file, or refuses a key field that is not a custom field', () => {
  const config = parseConfig(yaml('    scriptKey: ${SHOTGRID_SCRIPT_KEY}\n    projectCodeField: sg_code\n'), path.join(dir, 'handoff.yaml'), { SHOTGRID_SCRIPT_KEY: 's3cret' });
  expect(config.tracker.shotgrid).toMatchObject({ scriptKey: 's3cret', projectCodeField: 'sg_code' });
  expect(() => parseConfig(yaml('    keyField: code\n'), path.join(dir, 'handoff.yaml'), {})).toThrow(/keyField/);
});

it('opens the ShotGrid tracker with the key from SHOTGRID_SCRIPT_KEY_FILE, and says where to put a missing key', async () => {
  const config = parseConfig(yaml(), path.join(dir, 'handoff.yaml'), {});
  await writeFile(path.join(dir, 'key'), 's3cret\n');
  const tracker = await createTracker(config.tracker, { SHOTGRID_SCRIPT_KEY_FILE: path.join(dir, 'key') });
  expect(tracker.name).toBe('shotgrid');
  await tracker.close();
  await expect(createTracker(config.tracker, {})).rejects.toMatchObject({ code: 'TRACKER_KEY_MISSING', hint: expect.stringContaining('SHOTGRID_SCRIPT_KEY') });
});
