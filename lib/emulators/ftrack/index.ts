/**
 * An ftrack-compatible server for offline work and tests. The official
 * `@ftrack/api` client talks to it over HTTP exactly as to ftrack:
 *
 *   const emulator = await startFtrackEmulator({ seed: 'demo' });
 *   const session = new Session(emulator.url, emulator.user, emulator.apiKey, { autoConnectEventHub: false });
 *
 * Custom attribute keys it configures: see CUSTOM_ATTRIBUTE_KEYS (fps on every
 * context; resolution_width, resolution_height, colour_space on projects;
 * fstart, fend, handles on shots).
 */
export { startFtrackEmulator, FaultInjector, parseFaults, type FtrackEmulator, type FtrackEmulatorOptions, type FaultOptions } from './server/index.ts';
export { CUSTOM_ATTRIBUTE_KEYS } from './builtins.ts';
export { LOCATION_IDS, OBJECT_TYPE_IDS, SERVER_LOCATION_ID, STATE_IDS } from './constants.ts';
export { parseQuery } from './query/index.ts';
export type { EntityRecord } from './model/index.ts';
export type { EntityGraph, TableStore } from './store/index.ts';
