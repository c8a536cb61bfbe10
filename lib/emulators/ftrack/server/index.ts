/** The emulator process: start-up, HTTP routes, persistence, fault injection, ftrack.update events. */
export { startFtrackEmulator, type FtrackEmulator, type FtrackEmulatorOptions } from './start.ts';
export { FaultInjector, parseFaults, type FaultOptions, type FaultRoute } from './faults.ts';
