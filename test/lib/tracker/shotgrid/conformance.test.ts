/** The ShotGrid tracker runs the shared Tracker conformance suite against the emulator over real HTTP. */
import { startShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import { createShotgridTracker } from '../../../../lib/tracker/shotgrid/index.ts';
import { testTracker } from '../../../conformance/tracker.ts';

testTracker('shotgrid (emulator over HTTP)', async () => {
  const emulator = await startShotgridEmulator({ seed: 'demo' });
  // The key field (docs/shotgrid.md) is added through the schema API at the first publish.
  const tracker = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey, retryDelayMs: 10, createKeyField: true });
  return { tracker, cleanup: () => emulator.close() };
});
