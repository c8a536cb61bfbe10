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
  isOnline(vendor: string): boolean;
  /** Notes contact with a connected agent (its transfers move); recorded at most every 5 s. */
  touch(vendor: string): void;
  /** Stops recording (before the databases close). */
  close(): void;
}

const vendorOf = (job: Job): string | undefined =>
  job.destination.kind === 'vendor' ? job.destination.vendor : job.source.kind === 'vendor' ? job.source.vendor : undefined;

/** `transfer` is a getter: the HQ listener (and so this) exists before the transfer core it feeds. */
export function createPresence(options: { transfer: () => EmbeddedTransfer; live: LiveFeed; recorder: Recorder; vendors?: readonly string[] | undefined }): Presence {
  const { live, recorder } = options;
  const sessions = new Map<string, AgentSession>();
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
    const known = new Map(options.transfer().agents.list().map((a) => [a.vendor, a]));
    const vendors = [...new Set([...(options.vendors ?? []), ...known.keys(), ...sessions.keys()])].sort();
    return vendors.map((vendor) => {
      const row = known.get(vendor);
      const session = sessions.get(vendor);
      return {
        vendor,
        online: Boolean(session?.isOpen),
        enrolled: Boolean(row?.fingerprint),
        lastContact: row?.lastSeenAt?.toISOString(),
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
      sessions.set(vendor, session);
      options.transfer().agents.seen(vendor);
      recorder.log({ type: 'agent.online', level: 'info', message: `Agent of ${vendor} connected`, vendor });
      void announce(vendor).catch(() => undefined);
      session.onClose(() => {
        if (sessions.get(vendor) === session) sessions.delete(vendor);
        if (closed) return; // shutting down: the databases are closing
        options.transfer().agents.seen(vendor);
        recorder.log({ type: 'agent.offline', level: 'warn', message: `Agent of ${vendor} disconnected`, vendor });
        void announce(vendor).catch(() => undefined);
      });
    },
    list,
    isOnline: (vendor) => Boolean(sessions.get(vendor)?.isOpen),
    touch(vendor) {
      const now = Date.now();
      if (closed || !sessions.get(vendor)?.isOpen || now - (touched.get(vendor) ?? 0) < 5000) return;
      touched.set(vendor, now);
      options.transfer().agents.seen(vendor);
    },
    close() {
      closed = true;
    },
  };
}
