/**
 * The agent's home folder (default ~/.handoff-agent, or --home): the
 * credentials enrolment wrote (agent.json, 0600), the agent's settings
 * (settings.json: HQ addresses, vendor, root) and the status the running
 * agent keeps current (status.json) for `handoff agent status`.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { writeSecret } from '../transfer/wire/identity.ts';

export interface AgentSettings {
  /** The HQ wire address, handoff://HOST:PORT. */
  hqUrl: string;
  /** HQ's HTTP API (pre-publish, publish), when HQ gave it. */
  serverUrl?: string | undefined;
  vendor: string;
  /** This agent's name among the vendor's agents at HQ. */
  name?: string | undefined;
  /** Absolute folder deliveries land in and publishes are read from. */
  root: string;
  enrolledAt: string;
}

export type AgentState = 'starting' | 'connected' | 'disconnected' | 'refused' | 'revoked' | 'stopped';

export interface AgentTransfer {
  path: string;
  size: number;
  direction: 'receiving' | 'sending';
  since: string;
}

export interface AgentStatusFile {
  pid: number;
  state: AgentState;
  /** Why the last connection ended or was refused. */
  reason?: string | undefined;
  since: string;
  lastContact?: string | undefined;
  filesReceived: number;
  bytesReceived: number;
  transfers: AgentTransfer[];
}

export function defaultAgentHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HANDOFF_AGENT_HOME || path.join(os.homedir(), '.handoff-agent');
}

/** True while a process with this id exists (even one we may not signal). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const agentFiles = (home: string) => ({
  credentials: path.join(home, 'agent.json'),
  settings: path.join(home, 'settings.json'),
  status: path.join(home, 'status.json'),
});

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HandoffError('AGENT_HOME_UNREADABLE', `Cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
      details: { file },
      hint: 'Check the file permissions, or enrol again with a new code to rewrite it.',
    });
  }
}

/** Writes through a temporary file and a rename, owner-only. */
async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeSecret(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, file);
}

export async function readAgentSettings(home: string): Promise<AgentSettings> {
  const settings = await readJson<AgentSettings>(agentFiles(home).settings);
  if (!settings) {
    throw new HandoffError('AGENT_NOT_ENROLLED', `This agent is not enrolled (nothing in ${home})`, {
      details: { home },
      hint: 'Run the `handoff agent enrol ...` command HQ sent with your invitation (or pass --home to the folder you enrolled in).',
    });
  }
  return settings;
}

export const writeAgentSettings = (home: string, settings: AgentSettings): Promise<void> => writeJson(agentFiles(home).settings, settings);
export const readAgentStatus = (home: string): Promise<AgentStatusFile | undefined> => readJson<AgentStatusFile>(agentFiles(home).status);
export const writeAgentStatus = (home: string, status: AgentStatusFile): Promise<void> => writeJson(agentFiles(home).status, status);
