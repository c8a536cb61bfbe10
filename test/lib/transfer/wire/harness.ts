/** Test harness for the wire: real HQ listener, real agent, temp roots, an in-memory ledger. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HandoffError } from '../../../../lib/core/errors.ts';
import type { AccessCheck, ChunkLedger, FilePlan, ListRequest, SendOptions } from '../../../../lib/transfer/transport.ts';
import type { Party } from '../../../../lib/transfer/types.ts';
import {
  connectAgent,
  createFileRegistry,
  createHqIdentity,
  createHqListener,
  createWireTransport,
  enrolAgent,
} from '../../../../lib/transfer/wire/index.ts';
import type { Agent, AgentCredentials, HqListener, WireTransport, WireTransportOptions } from '../../../../lib/transfer/wire/index.ts';

export interface MemoryLedger extends ChunkLedger {
  marks: number;
  chunks: Map<string, Map<number, string>>;
}

export function memoryLedger(): MemoryLedger {
  const chunks = new Map<string, Map<number, string>>();
  const ledger: MemoryLedger = {
    marks: 0,
    chunks,
    async done(key) {
      return new Set(chunks.get(key)?.keys() ?? []);
    },
    async mark(key, index, hash) {
      ledger.marks++;
      if (!chunks.has(key)) chunks.set(key, new Map());
      chunks.get(key)!.set(index, hash);
    },
    async clear(key) {
      chunks.delete(key);
    },
  };
  return ledger;
}

export const allowAll: AccessCheck = () => undefined;

export interface Wire {
  dir: string;
  hqRoot: string;
  vendorRoot: string;
  listener: HqListener;
  credentials: AgentCredentials;
  agent: Agent;
  transport: WireTransport;
  cleanup(): Promise<void>;
}

export async function startWire(options: Partial<Omit<WireTransportOptions, 'listener' | 'volumes'>> & { vendor?: string } = {}): Promise<Wire> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-wire-'));
  const hqRoot = path.join(dir, 'hq');
  const vendorRoot = path.join(dir, 'vendor');
  await mkdir(hqRoot);
  await mkdir(vendorRoot);
  const vendor = options.vendor ?? 'CompersInc';
  const listener = await createHqListener({
    identity: await createHqIdentity(['127.0.0.1']),
    registry: createFileRegistry(path.join(dir, 'hq-state', 'agents.json')),
    streams: 3,
  });
  const credentials = await enrolAgent({ hqUrl: listener.url, code: await listener.createEnrolmentCode(vendor) });
  const agent = await connectAgent({ hqUrl: listener.url, credentials, root: vendorRoot });
  await agent.whenConnected(10_000);
  const transport = createWireTransport({
    listener,
    volumes: { default: hqRoot },
    access: options.access ?? allowAll,
    tuning: { chunkSize: 64 * 1024, smallFileMax: 16 * 1024, window: 8, ...options.tuning },
    reconnectTimeoutMs: options.reconnectTimeoutMs ?? 10_000,
    faults: options.faults,
  });
  return {
    dir,
    hqRoot,
    vendorRoot,
    listener,
    credentials,
    agent,
    transport,
    async cleanup() {
      await agent.close();
      await listener.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SendOutcome {
  done: FilePlan[];
  failed: { file: FilePlan; error: HandoffError }[];
  progress: Map<string, number>;
}

export async function listAndSend(
  transport: WireTransport,
  from: Party,
  to: Party,
  requests: ListRequest[],
  ledger: ChunkLedger = memoryLedger(),
  extra: Partial<SendOptions> = {},
): Promise<SendOutcome> {
  const signal = extra.signal ?? new AbortController().signal;
  const files = await transport.list(from, requests, signal);
  const outcome: SendOutcome = { done: [], failed: [], progress: new Map() };
  await transport.send(files, {
    from,
    to,
    ledger,
    signal,
    onProgress: (taskId, bytes) => outcome.progress.set(taskId, (outcome.progress.get(taskId) ?? 0) + bytes),
    onFileDone: (file, result) => (result.ok ? outcome.done.push(file) : outcome.failed.push({ file, error: result.error })),
    ...extra,
  });
  return outcome;
}

/** Writes random files (relative path → size) with distinct old mtimes. */
export async function makeTree(root: string, files: Record<string, number>): Promise<void> {
  let n = 0;
  for (const [relative, size] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, randomBytes(size));
    const when = new Date(Date.UTC(2024, 0, 1, 0, 0, n++));
    await utimes(file, when, when);
  }
}

/** Relative paths of the regular files under a folder (partials excluded), sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.handoff-partial'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Throws unless every file under `a/sub` exists under `b/sub` with equal bytes and mtime. */
export async function expectSameTree(a: string, b: string): Promise<number> {
  const left = await listFiles(a);
  const right = await listFiles(b);
  if (JSON.stringify(left) !== JSON.stringify(right)) throw new Error(`trees differ:\n${left.join(',')}\n${right.join(',')}`);
  for (const relative of left) {
    const [x, y] = await Promise.all([readFile(path.join(a, relative)), readFile(path.join(b, relative))]);
    if (!x.equals(y)) throw new Error(`${relative} differs`);
    const [sx, sy] = await Promise.all([stat(path.join(a, relative)), stat(path.join(b, relative))]);
    if (Math.trunc(sx.mtimeMs) !== Math.trunc(sy.mtimeMs)) throw new Error(`${relative} mtime ${sx.mtimeMs} != ${sy.mtimeMs}`);
  }
  return left.length;
}
