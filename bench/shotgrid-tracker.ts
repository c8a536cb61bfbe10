/**
 * The ShotGrid tracker's batching: resolving a coordinator's selection of N
 * tasks to full contexts in one resolveTasks call, against the baseline of one
 * call per task (what per-task code does), on the ShotGrid emulator with added
 * latency per request to stand in for a studio's link to its site; and against
 * the floor of any per-task code, one request per task reading the task row alone. Requests are
 * counted by the client; both runs share one tracker, so the statuses and schema
 * (read once per tracker) are warmed before either is measured.
 *
 *   npm run bench:shotgrid-tracker -- [tasks=50] [latencyMs=20]
 */
import { startShotgridEmulator } from '../lib/emulators/shotgrid/index.ts';
import { parseStudioSeed } from '../lib/tracker/seed.ts';
import { createShotgridTracker } from '../lib/tracker/shotgrid/index.ts';

const tasks = Number(process.argv[2] ?? 50);
const latencyMs = Number(process.argv[3] ?? 20);

const shots = Array.from({ length: tasks }, (_, i) => ({
  name: `sh${String(i).padStart(4, '0')}`,
  frames: { start: 1001, end: 1100, handles: 8 },
  tasks: [{ name: 'cleanup', type: 'Cleanup', status: 'Ready to start', assignees: ['emma@compersinc.example'], notes: [{ author: 'cora@acmevfx.example', content: `Notes for shot ${i}` }] }],
}));
const seed = parseStudioSeed(
  [
    'users:',
    '  - { username: cora@acmevfx.example, name: Cora Coordinator, groups: [Coordinators] }',
    '  - { username: emma@compersinc.example, name: Emma Compers, groups: [Compers Inc] }',
    'statuses: [{ name: Ready to start, state: not_started }, { name: In progress, state: in_progress }]',
    'taskTypes: [Cleanup]',
    `projects: [{ name: bench, fullName: Bench, fps: 24, sequences: [{ name: "0010", shots: ${JSON.stringify(shots)} }] }]`,
  ].join('\n'),
  'bench',
);

const emulator = await startShotgridEmulator({ seed });
const tracker = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey });
const ids = (await tracker.client.findAll('Task', [], { fields: ['id'] })).map((t) => String(t.id));
await tracker.listStatuses(); // token, schema and statuses, outside the measurement
emulator.faults.set({ latencyMs });

async function measure(run: () => Promise<unknown>): Promise<{ ms: number; requests: number }> {
  const before = tracker.client.http.sent;
  const started = performance.now();
  await run();
  return { ms: performance.now() - started, requests: tracker.client.http.sent - before };
}

const batched = await measure(async () => {
  const results = await tracker.resolveTasks(ids);
  if (results.some((r) => !r.ok)) throw new Error('a bench task did not resolve');
});
const oneByOne = await measure(async () => {
  for (const id of ids) await tracker.resolveTasks([id]);
});
// The floor of any per-task approach: a single request per task, reading the task row alone (no shot, project, notes or people).
const taskRowEach = await measure(() => Promise.all(ids.map((id) => tracker.client.read('Task', Number(id), ['content', 'entity', 'sg_status_list']))));
console.log(`ShotGrid tracker benchmark: resolve ${ids.length} tasks to full contexts, ${latencyMs} ms added per request`);
console.log(`  one call for the selection: ${batched.ms.toFixed(0)} ms, ${batched.requests} requests`);
console.log(`  one call per task (baseline): ${oneByOne.ms.toFixed(0)} ms, ${oneByOne.requests} requests`);
console.log(`  one request per task, task rows only, 8 in flight: ${taskRowEach.ms.toFixed(0)} ms, ${taskRowEach.requests} requests`);
console.log(`  speed-up ×${(oneByOne.ms / batched.ms).toFixed(1)}, requests ÷${(oneByOne.requests / batched.requests).toFixed(1)}`);
await tracker.close();
await emulator.close();
