/**
 * HQ as `handoff serve` runs it, for the benchmark's resume case: the embedded
 * core (SQLite job, ledger and delivery records) with the agent listener on a
 * fixed port and the wire transport. argv: one JSON object
 * `{ host, port, dataDir, dataRoot, identityDir, source, totalBytes, killAt?, enrol? }`.
 * Prints `{"event":"listening",url,code?}`; with `killAt` (a fraction) it prints
 * `{"event":"killed",bytesSent,fraction}` once it has sent that share of
 * `totalBytes` and kills itself with SIGKILL; otherwise
 * `{"event":"result",status,bytesSent,seconds}`.
 */
import { setMaxListeners } from 'node:events';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../lib/transfer/embedded.ts';
import { createHqListener, createWireTransport, loadHqIdentity, type AgentRegistry, type WireTransport } from '../../lib/transfer/wire/index.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  host: string;
  port: number;
  dataDir: string;
  dataRoot: string;
  identityDir: string;
  source: string;
  totalBytes: number;
  killAt?: number;
  enrol?: boolean;
};
const say = (message: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
const core: { current?: EmbeddedTransfer } = {};
const agents = () => (core.current as EmbeddedTransfer).agents;
const registry: AgentRegistry = {
  saveCode: (...a) => agents().saveCode(...a),
  takeCode: (...a) => agents().takeCode(...a),
  pin: (...a) => agents().pin(...a),
  isPinned: (...a) => agents().isPinned(...a),
};
const listener = await createHqListener({ host: args.host, port: args.port, identity: await loadHqIdentity(args.identityDir, [args.host]), registry });
let transport!: WireTransport;
const adapter = createEmbeddedTransfer({
  dataDir: args.dataDir,
  roots: { hq: { default: args.dataRoot } },
  retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
  transports: (access) => [(transport = createWireTransport({ listener, volumes: { default: args.dataRoot }, access }))],
});
core.current = adapter;
say({ event: 'listening', url: listener.url, ...(args.enrol ? { code: await listener.createEnrolmentCode('BenchVendor') } : {}) });
const started = performance.now();
const job = await adapter.ensureJob({ name: 'bench-resume', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'BenchVendor' }, tasks: [{ source: args.source }] });
if (args.killAt !== undefined) {
  const killAt = args.killAt;
  setInterval(() => {
    const bytesSent = transport.stats().bytesSent;
    if (bytesSent < killAt * args.totalBytes) return;
    say({ event: 'killed', bytesSent, fraction: bytesSent / args.totalBytes });
    process.kill(process.pid, 'SIGKILL');
  }, 1);
}
const watching = new AbortController();
setMaxListeners(0, watching.signal);
for await (const event of adapter.watch({ jobId: job.id, signal: watching.signal })) {
  const ended = event.type === 'job.post-done' || event.type === 'job.post-failed';
  if (ended) {
    say({ event: 'result', status: event.job.status, bytesSent: transport.stats().bytesSent, seconds: (performance.now() - started) / 1000, present: event.job.progress.filesPresent });
    break;
  }
}
watching.abort();
await adapter.close();
await listener.close();
process.exit(0);
