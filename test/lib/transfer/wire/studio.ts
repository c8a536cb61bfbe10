/**
 * An HQ (embedded core, SQLite, real listener) and a vendor agent over TLS on
 * loopback, for tests of whole deliveries: the agent can be restarted with its
 * record of delivered files kept in `agentState`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../../lib/transfer/embedded.ts';
import type { Job } from '../../../../lib/transfer/types.ts';
import { connectAgent, createHqIdentity, createHqListener, createWireTransport, enrolAgent } from '../../../../lib/transfer/wire/index.ts';
import type { Agent, AgentActivity, AgentCredentials, AgentRegistry, HqListener, WireTransport, WireTransportOptions } from '../../../../lib/transfer/wire/index.ts';
import { waitForJobEnd } from '../../../support/transfer-wait.ts';

export interface Studio {
  dir: string;
  hqRoot: string;
  vendorRoot: string;
  agentState: string;
  dataDir: string;
  adapter: EmbeddedTransfer;
  transport: WireTransport;
  listener: HqListener;
  credentials: AgentCredentials;
  agent: Agent;
  activity: AgentActivity[];
  startAgent(): Promise<Agent>;
  deliver(name: string, sources: string[], timeoutMs?: number): Promise<Job>;
  close(): Promise<void>;
}

export async function startStudio(
  options: { vendorRoot?: string; wire?: Partial<WireTransportOptions>; retry?: { baseDelayMs?: number; maxDelayMs?: number } } = {},
): Promise<Studio> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-studio-'));
  const hqRoot = path.join(dir, 'hq');
  const vendorRoot = options.vendorRoot ?? path.join(dir, 'vendor');
  const agentState = path.join(dir, 'agent-state');
  const dataDir = path.join(dir, 'data');
  await mkdir(hqRoot, { recursive: true });
  await mkdir(vendorRoot, { recursive: true });
  const core: { current?: EmbeddedTransfer } = {};
  const agents = () => (core.current as EmbeddedTransfer).agents;
  const registry: AgentRegistry = {
    saveCode: (...args) => agents().saveCode(...args),
    takeCode: (...args) => agents().takeCode(...args),
    pin: (...args) => agents().pin(...args),
    isPinned: (...args) => agents().isPinned(...args),
  };
  const listener = await createHqListener({ host: '127.0.0.1', port: 0, identity: await createHqIdentity(['127.0.0.1']), registry, streams: 2 });
  let transport!: WireTransport;
  const adapter = createEmbeddedTransfer({
    dataDir,
    roots: { hq: { default: hqRoot } },
    retry: { baseDelayMs: 100, maxDelayMs: 1_000, ...options.retry },
    transports: (access) => [
      (transport = createWireTransport({ listener, volumes: { default: hqRoot }, access, tuning: { chunkSize: 64 * 1024, smallFileMax: 16 * 1024 }, reconnectTimeoutMs: 10_000, ...options.wire })),
    ],
  });
  core.current = adapter;
  const credentials = await enrolAgent({ hqUrl: listener.url, code: await listener.createEnrolmentCode('CompersInc') });
  const activity: AgentActivity[] = [];
  const studio: Studio = {
    dir,
    hqRoot,
    vendorRoot,
    agentState,
    dataDir,
    adapter,
    transport,
    listener,
    credentials,
    agent: undefined as unknown as Agent,
    activity,
    async startAgent() {
      studio.agent = await connectAgent({ hqUrl: listener.url, credentials, root: vendorRoot, stateDir: agentState, onActivity: (a) => activity.push(a) });
      await studio.agent.whenConnected(10_000);
      return studio.agent;
    },
    async deliver(name, sources, timeoutMs = 20_000) {
      const job = await adapter.ensureJob({
        name,
        source: { kind: 'hq' },
        destination: { kind: 'vendor', vendor: 'CompersInc' },
        tasks: sources.map((source) => ({ source })),
      });
      return waitForJobEnd(adapter, job.id, timeoutMs);
    },
    async close() {
      await studio.agent?.close();
      await adapter.close();
      await listener.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await studio.startAgent();
  return studio;
}
