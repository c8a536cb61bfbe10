/** createTracker: the one factory the server, the CLI and the demo open the configured tracker with. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { createTracker } from '../../../lib/tracker/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-tracker-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ftrack = (apiKey = '') =>
  parseConfig(`tracker:\n  type: ftrack\n  ftrack: { serverUrl: 'http://127.0.0.1:9', user: pipeline@acmevfx.example, apiKey: '${apiKey}' }\n`, path.join(dir, 'handoff.yaml'), {}).tracker;

describe('createTracker', () => {
  it('opens the memory tracker on its seed', async () => {
    const tracker = await createTracker(parseConfig('tracker: { type: memory, memory: { seed: demo } }\n', path.join(dir, 'handoff.yaml'), {}).tracker, {});
    expect(tracker.name).toBe('memory');
    expect(await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' })).toBeDefined();
    await tracker.close();
  });

  it('takes the ftrack key from FTRACK_API_KEY_FILE', async () => {
    await writeFile(path.join(dir, 'key'), 'k3y\n');
    const tracker = await createTracker(ftrack(), { FTRACK_API_KEY_FILE: path.join(dir, 'key') });
    expect(tracker.name).toBe('ftrack');
    await tracker.close();
  });

  it('says where to put a missing key, with one code for every tracker', async () => {
    await expect(createTracker(ftrack(), {})).rejects.toMatchObject({
      code: 'TRACKER_KEY_MISSING',
      message: 'No ftrack API key for pipeline@acmevfx.example at http://127.0.0.1:9',
      hint: expect.stringContaining('FTRACK_API_KEY_FILE'),
    });
    await expect(createTracker(ftrack(), { FTRACK_API_KEY_FILE: path.join(dir, 'absent') })).rejects.toMatchObject({ code: 'SERVER_SECRET_UNREADABLE' });
  });
});
