/**
 * The ftrack tracker's batching: resolving a coordinator's selection of N tasks
 * in one resolveTasks call against resolving them one by one (the baseline, what
 * per-task code does), on the emulator with added latency per request to stand
 * in for a studio's link to ftrack.
 *
 *   npm run bench:ftrack-tracker -- [tasks=100] [latencyMs=20]
 */
import { startFtrackEmulator } from '../lib/emulators/ftrack/index.ts';
import { createEntity } from '../lib/emulators/ftrack/store/index.ts';
import { createFtrackTracker } from '../lib/tracker/ftrack/index.ts';

const tasks = Number(process.argv[2] ?? 100);
const latencyMs = Number(process.argv[3] ?? 20);

const emulator = await startFtrackEmulator({ seed: 'demo', eventHub: false });
const ids: string[] = [];
await emulator.mutate((graph) => {
  const project = graph.scan('Project').find((p) => p.name === 'scd');
  const emma = graph.scan('User').find((u) => u.username === 'emma@compersinc.example');
  const sequence = createEntity(graph, 'Sequence', { name: 'bench', parent_id: project?.id });
  for (let i = 0; i < tasks; i += 1) {
    const shot = createEntity(graph, 'Shot', { name: `sh${String(i).padStart(4, '0')}`, parent_id: sequence.id });
    const task = createEntity(graph, 'Task', { name: 'cleanup', parent_id: shot.id });
    createEntity(graph, 'Appointment', { context_id: task.id, resource_id: emma?.id, type: 'assignment' });
    ids.push(String(task.id));
  }
});

let requests = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (String(input).endsWith('/api')) requests += 1;
  return realFetch(input, init);
};

const tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
await tracker.listStatuses(); // session start, outside the measurement
emulator.faults.set({ latencyMs });

async function measure(run: () => Promise<unknown>): Promise<{ ms: number; requests: number }> {
  requests = 0;
  const started = performance.now();
  await run();
  return { ms: performance.now() - started, requests };
}

const batched = await measure(() => tracker.resolveTasks(ids));
const oneByOne = await measure(async () => {
  for (const id of ids) await tracker.resolveTasks([id]);
});
console.log(`ftrack tracker benchmark: resolve ${tasks} tasks, ${latencyMs} ms added per request`);
console.log(`  one call for the selection: ${batched.ms.toFixed(0)} ms, ${batched.requests} requests`);
console.log(`  one call per task (baseline): ${oneByOne.ms.toFixed(0)} ms, ${oneByOne.requests} requests`);
console.log(`  speed-up ×${(oneByOne.ms / batched.ms).toFixed(1)}, requests ÷${(oneByOne.requests / batched.requests).toFixed(1)}`);
await tracker.close();
await emulator.close();
