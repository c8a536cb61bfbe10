/** The ShotGrid tracker runs the shared Tracker conformance suite against the emulator over real HTTP. */
import { startShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import { createShotgridTracker, KEYED_TYPES } from '../../../../lib/tracker/shotgrid/index.ts';
import { testTracker } from '../../../conformance/tracker.ts';

testTracker('shotgrid (emulator over HTTP)', async () => {
  const emulator = await startShotgridEmulator({ seed: 'demo' });
  // The studio's one-time set-up (docs/shotgrid.md): a text field for publish keys.
  for (const type of KEYED_TYPES) emulator.site.schema.addField(type, 'text', 'Handoff Key');
  const tracker = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey, retryDelayMs: 10 });
  return { tracker, cleanup: () => emulator.close() };
});
