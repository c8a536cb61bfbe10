/** The ftrack tracker runs the shared Tracker conformance suite against the emulator over real HTTP. */
import { startFtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { createWebUiHarness } from '../../../../lib/emulators/ftrack/harness.ts';
import { createFtrackTracker } from '../../../../lib/tracker/ftrack/index.ts';
import { testTracker } from '../../../conformance/tracker.ts';

testTracker('ftrack (emulator over HTTP)', async () => {
  const emulator = await startFtrackEmulator({ seed: 'demo' });
  const tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey, retryDelayMs: 10 });
  const harness = await createWebUiHarness({ serverUrl: emulator.url, apiUser: emulator.user, apiKey: emulator.apiKey, replyWindowMs: 1000 });
  return {
    tracker,
    ui: await harness.trackerUi(),
    async cleanup() {
      await harness.close();
      await emulator.close();
    },
  };
});
