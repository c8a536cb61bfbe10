/**
 * Runs an enrolled agent unattended: keeps the control connection to HQ
 * (reconnecting with backoff for as long as it runs), receives deliveries into
 * the vendor root, and keeps status.json current for `handoff agent status`.
 * Resuming after a restart is the wire's job: HQ's chunk ledger and the
 * partial files in the root mean only missing chunks are sent again.
 */
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { connectAgent, loadAgentCredentials, type AgentActivity, type AgentStatus } from '../transfer/wire/index.ts';
import { processAlive, readAgentSettings, readAgentStatus, writeAgentStatus, type AgentSettings, type AgentStatusFile } from './home.ts';

export interface RunAgentOptions {
  home: string;
  /** Called on every change of state or transfers, once status.json holds it. */
  onChange?: ((status: AgentStatusFile, settings: AgentSettings) => void) | undefined;
}

export interface RunningAgent {
  readonly settings: AgentSettings;
  status(): AgentStatusFile;
  whenConnected(timeoutMs: number): Promise<void>;
  /** Resolves once status.json holds the latest status. */
  flushed(): Promise<void>;
  /** Resolves when HQ refuses the agent for good (its key was revoked). */
  readonly refused: Promise<HandoffError>;
  close(): Promise<void>;
}

async function claimHome(home: string): Promise<void> {
  const previous = await readAgentStatus(home);
  if (previous && previous.state !== 'stopped' && previous.pid !== process.pid && processAlive(previous.pid)) {
    throw new HandoffError('AGENT_ALREADY_RUNNING', `An agent (pid ${previous.pid}) already runs from ${home}`, {
      details: { home, pid: previous.pid },
      hint: 'Stop that agent first, or see what it does with `handoff agent status`.',
    });
  }
}

export async function runAgent(options: RunAgentOptions): Promise<RunningAgent> {
  const { home } = options;
  const settings = await readAgentSettings(home);
  const credentials = await loadAgentCredentials(home);
  await claimHome(home);
  const now = () => new Date().toISOString();
  const status: AgentStatusFile = { pid: process.pid, state: 'starting', since: now(), filesReceived: 0, bytesReceived: 0, transfers: [] };
  const open = new Map<number, { path: string; size: number; since: string }>();
  let writing: Promise<void> = Promise.resolve();
  let onRefused: (error: HandoffError) => void = () => undefined;
  const refused = new Promise<HandoffError>((resolve) => (onRefused = resolve));

  const publish = (): void => {
    status.transfers = [...open.values()].map((t) => ({ ...t, direction: 'receiving' as const }));
    const snapshot = structuredClone(status);
    // Listeners hear of a change once status.json holds it.
    writing = writing
      .then(() => writeAgentStatus(home, snapshot))
      .catch(() => undefined)
      .then(() => options.onChange?.(snapshot, settings));
  };

  let closing = false;
  const onStatus = (next: AgentStatus): void => {
    if (closing) return;
    const revoked = next.state === 'refused' && next.code === 'WIRE_AGENT_REVOKED';
    status.state = revoked ? 'revoked' : next.state;
    status.since = now();
    status.reason = next.state === 'refused' ? `${next.code}: ${next.message}` : next.state === 'disconnected' ? next.error : undefined;
    if (next.state === 'connected') status.lastContact = status.since;
    if (next.state === 'disconnected') open.clear();
    publish();
    if (revoked) {
      onRefused(new HandoffError('AGENT_REVOKED', `HQ revoked this agent: ${next.message}`, {
        details: { vendor: settings.vendor, name: settings.name, hqUrl: settings.hqUrl },
        hint: 'Ask HQ whether that was meant; to work from this machine again, get a new invitation and enrol with --force.',
      }));
    } else if (next.state === 'refused' && next.code === 'WIRE_UNAUTHORISED') {
      onRefused(new HandoffError('AGENT_REFUSED', `HQ refused this agent: ${next.message}`, {
        details: { vendor: settings.vendor, hqUrl: settings.hqUrl },
        hint: 'The key was revoked or replaced: ask HQ for a new invitation and enrol again with --force.',
      }));
    }
  };

  const onActivity = (activity: AgentActivity): void => {
    if (closing) return;
    status.lastContact = now();
    if (activity.type === 'receiving') open.set(activity.id, { path: activity.path, size: activity.size, since: status.lastContact });
    else if (activity.type === 'received') {
      status.filesReceived += 1;
      status.bytesReceived += open.get(activity.id)?.size ?? 0;
      open.delete(activity.id);
    } else if (activity.type === 'dropped') open.delete(activity.id);
    else if (activity.type === 'batch-received') {
      status.filesReceived += activity.files;
      status.bytesReceived += activity.bytes;
    } else return;
    publish();
  };

  publish();
  const agent = await connectAgent({ hqUrl: settings.hqUrl, credentials, root: settings.root, onStatus, onActivity, stateDir: path.join(home, 'delivered') });
  return {
    settings,
    status: () => structuredClone(status),
    whenConnected: (timeoutMs) => agent.whenConnected(timeoutMs),
    flushed: () => writing,
    refused,
    async close() {
      closing = true;
      await agent.close();
      // Stopped because HQ refused or revoked it: the status keeps saying why.
      if (status.state !== 'revoked' && status.state !== 'refused') {
        status.state = 'stopped';
        status.since = now();
      }
      open.clear();
      publish();
      await writing;
    },
  };
}
