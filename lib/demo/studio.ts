/**
 * The demo studio on one machine: temporary HQ and vendor storage, the ftrack
 * emulator with the demo seed at a small resolution, generated plates, the HQ
 * server from the shipped default config, and an enrolled vendor agent.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAgent, enrolAgentHome, createHqClient, type RunningAgent } from '../agent/index.ts';
import { HandoffError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { loadConfig, shippedDefaultConfig, type HandoffConfig } from '../core/config/index.ts';
import { startFtrackEmulator, type FtrackEmulator } from '../emulators/ftrack/index.ts';
import { createHqServer, serverOptionsFromConfig, type HqServer } from '../server/index.ts';
import { createTracker, loadStudioSeed, type StudioSeed, type Tracker } from '../tracker/index.ts';
import { writeFrames } from './frames.ts';

/** Frames are this small so the whole loop takes seconds. */
export const DEMO_RESOLUTION = { width: 192, height: 108 } as const;
export const DEMO_TASK = { project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' } as const;
export const DEMO_VENDOR = 'CompersInc';
export const DEMO_COORDINATOR = 'cora@acmevfx.example';
export const DEMO_ARTIST = 'emma@compersinc.example';

export interface DemoPaths {
  base: string;
  /** The emulator's saved store: `handoff emulate ftrack --persist` reopens the demo's tracker. */
  ftrackStore: string;
  hqRoot: string;
  vendorRoot: string;
  dataDir: string;
  agentHome: string;
}

export function demoPaths(base: string): DemoPaths {
  return { base, ftrackStore: path.join(base, 'ftrack', 'store.json'), hqRoot: path.join(base, 'hq'), vendorRoot: path.join(base, 'vendor'), dataDir: path.join(base, 'hq-data'), agentHome: path.join(base, 'agent-home') };
}

/** The demo's folder: the one given (created, kept) or a new temporary one. */
export async function makeDemoBase(keep?: string): Promise<{ base: string; temporary: boolean }> {
  if (!keep) return { base: await mkdtemp(path.join(os.tmpdir(), 'handoff-demo-')), temporary: true };
  const base = path.resolve(keep);
  await mkdir(base, { recursive: true });
  if ((await readdir(base)).length) {
    throw new HandoffError('DEMO_FOLDER_NOT_EMPTY', `${base} is not empty`, { details: { folder: base }, hint: 'Give --keep a new or empty folder; the demo never writes over earlier files.' });
  }
  return { base, temporary: false };
}

export const removeDemoBase = (base: string): Promise<void> => rm(base, { recursive: true, force: true });

/** The shipped demo seed with every project at the demo's small resolution. */
export async function demoSeed(): Promise<StudioSeed> {
  const seed = await loadStudioSeed('demo');
  return { ...seed, projects: seed.projects.map((p) => ({ ...p, resolution: { ...DEMO_RESOLUTION } })) };
}

export async function startEmulator(seed: StudioSeed, paths: DemoPaths): Promise<FtrackEmulator> {
  await mkdir(path.dirname(paths.ftrackStore), { recursive: true });
  return startFtrackEmulator({ seed, user: 'pipeline@acmevfx.example', apiKey: randomBytes(16).toString('hex'), persist: paths.ftrackStore });
}

/** The plate of the demo task: the shot's range with handles, into the project's plates folder. */
export async function writePlates(paths: DemoPaths, range: { first: number; last: number }, boom: { first: number; last: number }): Promise<string[]> {
  const { project, sequence, shot } = DEMO_TASK;
  const dir = path.join(paths.hqRoot, project, sequence, shot, 'src', 'plates');
  return writeFrames(dir, `${project}_${sequence}_${shot}_plate`, { ...DEMO_RESOLUTION, ...range, boom });
}

/** The shipped default config, pointed at the emulator and the demo's folders through its own variables. */
export function demoConfig(paths: DemoPaths, emulator: FtrackEmulator, adminToken: string): Promise<HandoffConfig> {
  const env = {
    ...process.env,
    HANDOFF_TRACKER: 'ftrack',
    FTRACK_SERVER: emulator.url,
    FTRACK_API_USER: emulator.user,
    FTRACK_API_KEY: emulator.apiKey,
    HANDOFF_PROJ_ROOT: paths.hqRoot,
    HANDOFF_DATA_DIR: paths.dataDir,
    HANDOFF_ADMIN_TOKENS: adminToken,
  };
  return loadConfig(shippedDefaultConfig, { env });
}

export async function startServer(config: HandoffConfig, paths: DemoPaths, port: number, logger?: Logger): Promise<{ server: HqServer; tracker: Tracker }> {
  const tracker = await createTracker(config.tracker);
  try {
    const { options } = await serverOptionsFromConfig(config, { dataDir: paths.dataDir, host: '127.0.0.1', port, listenHost: '127.0.0.1', listenPort: 0 });
    return { server: await createHqServer({ ...options, tracker, ...(logger ? { logger } : {}) }), tracker };
  } catch (err) {
    await tracker.close();
    throw err;
  }
}

/** Invites the vendor through the API as HQ would, enrols the agent with the code, and runs it. */
export async function startAgent(server: HqServer, adminToken: string, paths: DemoPaths): Promise<RunningAgent> {
  const invite = await createHqClient(server.url, { kind: 'admin', token: adminToken }).post<{ code: string; hq: string }>(`/api/vendors/${DEMO_VENDOR}/invite`);
  await enrolAgentHome({ home: paths.agentHome, hqUrl: invite.hq, serverUrl: server.url, code: invite.code, root: paths.vendorRoot });
  const agent = await runAgent({ home: paths.agentHome });
  try {
    await agent.whenConnected(15_000);
  } catch (err) {
    await agent.close();
    throw err;
  }
  return agent;
}
