/**
 * Child process for the HQ crash tests: HQ as a real process (embedded core,
 * agent listener on a fixed port, wire transport) delivering `source` to the
 * vendor under a bandwidth cap, so the parent can kill it mid-delivery and
 * start it again on the same data folder. Prints `code`, `listening`, each
 * progress fraction, and `done <status> <file bytes sent>`.
 */
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../lib/transfer/embedded.ts';
import { createHqListener, createWireTransport, loadHqIdentity, type AgentRegistry, type WireTransport } from '../../lib/transfer/wire/index.ts';
import { waitForJobEnd } from './transfer-wait.ts';

const { dataDir, hqRoot, identityDir, port, source, bandwidth, enrol } = JSON.parse(process.argv[2] ?? '{}') as {
  dataDir: string;
  hqRoot: string;
  identityDir: string;
  port: number;
  source: string;
  bandwidth: number;
  enrol: boolean;
};
const core: { current?: EmbeddedTransfer } = {};
const agents = () => (core.current as EmbeddedTransfer).agents;
const registry: AgentRegistry = {
  saveCode: (...args) => agents().saveCode(...args),
  takeCode: (...args) => agents().takeCode(...args),
  pin: (...args) => agents().pin(...args),
  isPinned: (...args) => agents().isPinned(...args),
};
const listener = await createHqListener({ host: '127.0.0.1', port, identity: await loadHqIdentity(identityDir), registry, streams: 2 });
let transport!: WireTransport;
const adapter = createEmbeddedTransfer({
  dataDir,
  roots: { hq: { default: hqRoot } },
  limits: { bandwidth },
  retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
  transports: (access) => [(transport = createWireTransport({ listener, volumes: { default: hqRoot }, access, tuning: { chunkSize: 64 * 1024, smallFileMax: 16 * 1024 } }))],
});
core.current = adapter;
if (enrol) process.stdout.write(`code ${await listener.createEnrolmentCode('CompersInc')}\n`);
process.stdout.write(`listening ${listener.url}\n`);
const job = await adapter.ensureJob({ name: 'resume', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source }] });
void (async () => {
  for await (const event of adapter.watch({ jobId: job.id })) {
    if (event.type === 'job.progress') process.stdout.write(`progress ${event.job.progress.fraction}\n`);
  }
})();
const ended = await waitForJobEnd(adapter, job.id, 60_000);
process.stdout.write(`done ${ended.status} ${transport.stats().bytesSent}\n`);
await adapter.close();
await listener.close();
process.exit(0);
