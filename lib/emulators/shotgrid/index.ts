/**
 * A ShotGrid-compatible site for offline work and tests: the REST API
 * (`/api/v1`, `/api/v1.1`), the JSON-RPC API the official Python client
 * speaks (`/api3/json`), uploads, downloads and the event log, over one store.
 *
 *   const emulator = await startShotgridEmulator({ seed: 'demo' });
 *   // emulator.url, emulator.scriptName, emulator.scriptKey
 */
export { startShotgridEmulator, type ShotgridEmulator, type ShotgridEmulatorOptions } from './server/start.ts';
export { FaultInjector, parseFaults, type FaultOptions } from './server/faults.ts';
export { statusCodes } from './seed.ts';
export type { Site } from './site.ts';
