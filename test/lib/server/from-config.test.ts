import { describe, expect, it } from 'vitest';
import type { HandoffConfig } from '../../../lib/core/config/index.ts';
import { openConfiguredTracker } from '../../../lib/server/index.ts';

const ftrackConfig = {
  tracker: { type: 'ftrack', ftrack: { serverUrl: 'http://127.0.0.1:9', user: 'pipeline@acmevfx.example', apiKey: '' } },
} as unknown as HandoffConfig;

describe('openConfiguredTracker', () => {
  it('says where to put the ftrack API key when none is set', async () => {
    await expect(openConfiguredTracker(ftrackConfig, {})).rejects.toMatchObject({
      code: 'SERVER_TRACKER_KEY_MISSING',
      message: 'No ftrack API key for pipeline@acmevfx.example at http://127.0.0.1:9',
      hint: expect.stringContaining('FTRACK_API_KEY'),
    });
  });
});
