/**
 * Which vendor agents are connected, when HQ last heard from each, and how
 * fast their transfers run. Enrolled agents come from the transfer core's
 * agent store; connections from the HQ listener's sessions.
 */
import type { EmbeddedTransfer } from '../transfer/embedded.ts';
import type { Job } from '../transfer/types.ts';
import type { AgentSession } from '../transfer/wire/index.ts';
import type { AgentView, LiveFeed } from './live.ts';
import type { Recorder } from './recorder.ts';

export interface Presence {
  /** Give to the HQ listener's `onAgent`. */
  onAgent(session: AgentSession): void;
  list(): Promise<AgentView[]>;
  /** Each enrolled agent of a vendor (a machine), revoked ones included, with whether it is online now. */
  agentsOf(vendor: string): NamedAgentView[];
  isOnline(vendor: string): boolean;
  /** Notes contact with a connected agent (its transfers move); recorded at most every 5 s. */
  touch(vendor: string): void;
  /** Stops recording (before the databases close). */
  close(): void;
}

export interface NamedAgentView {
  vendor: string;
  name: string;
  /** SHA-256 fingerprint of its certificate. */
  fingerprint: string | undefined;
  online: boolean;
  enrolledAt: string;
  lastContact?: string | undefined;
  revokedAt?: string | undefined;
}

const vendorOf = (job: Job): string | undefined =>
  job.destination.kind === 'vendor' ? job.destination.vendor : job.source.kind === 'vendor' ? job.source.vendor : undefined;

/** `transfer` is a getter: the HQ listener (and so this) exists before the transfer core it feeds. */
export function createPresence(options: { transfer: () => EmbeddedTransfer; live: LiveFeed; recorder: Recorder; vendors?: readonly string[] | undefined }): Presence {
  const { live, recorder } = options;
  /** Open sessions by agent (certificate fingerprint): several agents of a vendor may be online. */
  const sessions = new Map<string, AgentSession>();
  const online = (vendor: string): AgentSession | undefined => [...sessions.values()].find((s) => s.vendor === vendor && s.isOpen);
  let closed = false;
  const touched = new Map<string, number>();

  async function throughputs(): Promise<Map<string, number>> {
    const speeds = new Map<string, number>();
    for (const job of await options.transfer().listJobs({ status: ['running'] })) {
      const vendor = vendorOf(job);
      if (vendor) speeds.set(vendor, (speeds.get(vendor) ?? 0) + job.progress.speed);
    }
    return speeds;
  }

  async function list(): Promise<AgentView[]> {
    const speeds = await throughputs();
    const active = options.transfer().agents.list().filter((a) => !a.revokedAt);
    const known = new Map(active.map((a) => [a.vendor, a]));
    const vendors = [...new Set([...(options.vendors ?? []), ...known.keys(), ...[...sessions.values()].map((s) => s.vendor)])].sort();
    return vendors.map((vendor) => {
      const row = known.get(vendor);
      const lastSeen = Math.max(0, ...active.filter((a) => a.vendor === vendor).map((a) => a.lastSeenAt?.getTime() ?? 0));
      const session = online(vendor);
      return {
        vendor,
        online: Boolean(session?.isOpen),
        enrolled: Boolean(row?.fingerprint),
        lastContact: lastSeen ? new Date(lastSeen).toISOString() : undefined,
        throughput: speeds.get(vendor) ?? 0,
        streams: session?.isOpen ? session.streams : 0,
      };
    });
  }

  async function announce(vendor: string): Promise<void> {
    const view = (await list()).find((a) => a.vendor === vendor);
    if (view) live.emit({ kind: 'agent', agent: view });
  }

  return {
    onAgent(session) {
      const { vendor } = session;
      const key = session.agentKey ?? vendor;
      sessions.set(key, session);
      options.transfer().agents.seen(vendor, session.agentKey);
      recorder.log({ type: 'agent.online', level: 'info', message: `Agent of ${vendor} connected`, vendor });
      void announce(vendor).catch(() => undefined);
      session.onClose(() => {
        if (sessions.get(key) === session) sessions.delete(key);
        if (closed) return; // shutting down: the databases are closing
        options.transfer().agents.seen(vendor, session.agentKey);
        recorder.log({ type: 'agent.offline', level: 'warn', message: `Agent of ${vendor} disconnected`, vendor });
        void announce(vendor).catch(() => undefined);
      });
    },
    list,
    agentsOf(vendor) {
      return options.transfer().agents.list()
        .filter((a) => a.vendor === vendor)
        .map((a) => ({
          vendor,
          name: a.name,
          fingerprint: a.fingerprint,
          online: !a.revokedAt && a.fingerprint !== undefined && Boolean(sessions.get(a.fingerprint)?.isOpen),
          enrolledAt: a.createdAt.toISOString(),
          ...(a.lastSeenAt ? { lastContact: a.lastSeenAt.toISOString() } : {}),
          ...(a.revokedAt ? { revokedAt: a.revokedAt.toISOString() } : {}),
        }));
    },
    isOnline: (vendor) => Boolean(online(vendor)),
    touch(vendor) {
      const now = Date.now();
      if (closed || !online(vendor) || now - (touched.get(vendor) ?? 0) < 5000) return;
      touched.set(vendor, now);
      options.transfer().agents.seen(vendor);
    },
    close() {
      closed = true;
    },
  };
}
