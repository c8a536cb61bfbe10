/** The Tracker seam's public face: the interface, the memory reference tracker, seeds and shared checks. */
export type * from './types.ts';
export { createMemoryTracker, type MemoryTracker, type MemoryTrackerOptions } from './memory.ts';
export type { MemoryJob, MemoryTrackerUi } from './memory-actions.ts';
export { checkStudioSeed, loadStudioSeed, parseStudioSeed, studioSeedSchema, type StudioSeed, type StudioSeedInput } from './seed.ts';
export { assertPublishRequest } from './publish-request.ts';
export { createTracker } from './from-config.ts';
export * as trackerErrors from './errors.ts';
