/**
 * The HQ end of the benchmark, in its own process (and network namespace when
 * links are emulated). argv: listen host, data root, state folder, landing root
 * (where uploads land). Prints
 * `{"event":"listening"...}` then serves `{"run":...}` lines from stdin, one
 * `{"event":"result"...}` line each.
 */
import { createInterface } from 'node:readline';
import { cpuUsage, memoryUsage } from 'node:process';
import path from 'node:path';
import type { ChunkLedger, DeliveryRecords, FileDigest } from '../../lib/transfer/transport.ts';
import { createFileRegistry, createHqListener, createWireTransport, loadHqIdentity } from '../../lib/transfer/wire/index.ts';
import type { WireTuning } from '../../lib/transfer/wire/index.ts';

const [host = '127.0.0.1', dataRoot = '', stateDir = '', landingRoot = path.join(stateDir, 'landing')] = process.argv.slice(2);
const tuning = JSON.parse(process.env.HANDOFF_BENCH_TUNING ?? '{}') as Partial<WireTuning>;
const streams = process.env.HANDOFF_BENCH_STREAMS ? Number(process.env.HANDOFF_BENCH_STREAMS) : 'auto';

const identity = await loadHqIdentity(path.join(stateDir, 'identity'), [host]);
const listener = await createHqListener({
  host,
  port: 0,
  identity,
  registry: createFileRegistry(path.join(stateDir, 'agents.json')),
  streams,
  onStreams: (step) => console.error(`            streams: ${(step.goodput / 1e6).toFixed(1)} MB/s at ${step.streams}${step.next === step.streams ? '' : ` → ${step.next}`}${step.queued ? ' (queue: link full)' : ''}`),
});
const transport = createWireTransport({ listener, volumes: { default: dataRoot, landing: landingRoot }, access: () => undefined, tuning });
const code = await listener.createEnrolmentCode('BenchVendor');
const say = (message: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
say({ event: 'listening', url: listener.url, code });

let peakRss = memoryUsage().rss;
let peakBuffers = 0;
let peakHeap = 0;
setInterval(() => {
  const usage = memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakBuffers = Math.max(peakBuffers, usage.arrayBuffers);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
}, 100).unref();

function memoryLedger(): ChunkLedger {
  const chunks = new Map<string, Set<number>>();
  return {
    done: async (key) => new Set(chunks.get(key)),
    mark: async (key, index) => void (chunks.get(key) ?? chunks.set(key, new Set()).get(key)!).add(index),
    clear: async (key) => void chunks.delete(key),
  };
}

// What this HQ put in place at the vendor, as the server keeps it (a delivery of the same tree again skips it).
const placed = new Map<string, FileDigest>();
const delivered: DeliveryRecords = { get: (paths) => new Map(paths.flatMap((p) => (placed.has(p) ? [[p, placed.get(p)!] as const] : []))) };
let present = 0;

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const command = JSON.parse(line) as { run: string; direction: 'deliver' | 'upload' };
  const vendor = { kind: 'vendor', vendor: 'BenchVendor' } as const;
  const [from, to] = command.direction === 'deliver' ? [{ kind: 'hq' } as const, vendor] : [vendor, { kind: 'hq', volume: 'landing' } as const];
  const signal = new AbortController().signal;
  // The agent is a standing service: time the transfer, not its data connections coming up.
  const agent = await listener.waitForAgent('BenchVendor', { timeoutMs: 60_000 });
  for (let waited = 0; agent.streams < agent.wantedConnections && waited < 300; waited++) await new Promise((resolve) => setTimeout(resolve, 100));
  const cpuBefore = cpuUsage();
  const statsBefore = transport.stats();
  const presentBefore = present;
  const started = performance.now();
  const request = { taskId: 'bench', source: command.run, destination: command.run };
  const files = await transport.list(from, [request], signal);
  let failed = 0;
  let firstError: string | undefined;
  let progressed = 0;
  // BENCH_TIMELINE=1 (or a period in ms): bytes moved so far, every second, on stderr, to see ramp-up and tail.
  const timeline = process.env.BENCH_TIMELINE
    ? setInterval(() => {
        const at = ((performance.now() - started) / 1000).toFixed(2).padStart(6);
        console.error(`            ${at} s ${(progressed / 1e6).toFixed(1).padStart(8)} MB  ${listener.session('BenchVendor')?.streams ?? 0} streams`);
      }, Math.max(100, Number(process.env.BENCH_TIMELINE) || 1000))
    : undefined;
  await listener.waitForAgent('BenchVendor', { timeoutMs: 30_000 });
  await transport.send(files, {
    from,
    to,
    ledger: memoryLedger(),
    delivered: command.direction === 'deliver' ? delivered : undefined,
    signal,
    onProgress: (_task, bytes) => void (progressed += bytes),
    onFileDone: (file, result) => {
      if (result.ok && result.digest) placed.set(file.destination, result.digest);
      if (result.ok && result.present) present++;
      if (!result.ok) {
        failed++;
        firstError ??= `${result.error.code}: ${result.error.message}`;
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timeline);
  const cpu = cpuUsage(cpuBefore);
  say({
    event: 'result',
    seconds,
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    failed,
    firstError,
    present: present - presentBefore,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRss,
    peakBuffers,
    peakHeap,
    streams: listener.session('BenchVendor')?.streams,
    stats: Object.fromEntries(Object.entries(transport.stats()).map(([key, value]) => [key, value - statsBefore[key as keyof typeof statsBefore]])),
  });
}
await listener.close();
process.exit(0);
