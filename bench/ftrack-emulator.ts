/**
 * Query speed of the ftrack emulator on a large studio: the assigned-tasks
 * pipeline query and a custom attribute filter, on the indexed store against
 * the same data answered by scanning (the baseline), plus one round trip
 * through the real @ftrack/api client.
 *
 *   npm run bench:ftrack-emulator -- [tasks=5000]
 */
import { Session } from '@ftrack/api';
import { startFtrackEmulator } from '../lib/emulators/ftrack/index.ts';
import { executeQuery, parseQuery } from '../lib/emulators/ftrack/query/index.ts';
import { createEntity, EntityGraph, TableStore } from '../lib/emulators/ftrack/store/index.ts';

const tasks = Number(process.argv[2] ?? 5000);
const QUERIES = [
  'select id, name, parent.name, project.name, custom_attributes from Task where project.name is "scd" and assignments any (resource.username is "emma@compersinc.example")',
  'select name from Shot where custom_attributes any (key is fend and value > 1050) order by name limit 100',
];

const emulator = await startFtrackEmulator({ seed: 'demo', eventHub: false });
await emulator.mutate((graph) => {
  const project = graph.scan('Project').find((p) => p.name === 'scd');
  const emma = graph.scan('User').find((u) => u.username === 'emma@compersinc.example');
  const fend = graph.scan('CustomAttributeConfiguration').find((c) => c.key === 'fend');
  const sequence = createEntity(graph, 'Sequence', { name: 'bulk', parent_id: project?.id });
  for (let i = 0; i < tasks / 5; i += 1) {
    const shot = createEntity(graph, 'Shot', { name: `sh${String(i).padStart(5, '0')}`, parent_id: sequence.id });
    createEntity(graph, 'CustomAttributeValue', { configuration_id: fend?.id, entity_id: shot.id, value: 1001 + (i % 100) });
    for (let j = 0; j < 5; j += 1) {
      const task = createEntity(graph, 'Task', { name: `task${j}`, parent_id: shot.id });
      if (j === 0) createEntity(graph, 'Appointment', { context_id: task.id, resource_id: emma?.id, type: 'assignment' });
    }
  }
});

function time(store: TableStore, expression: string): { ms: number; rows: number } {
  const graph = new EntityGraph(store, emulator.url);
  const query = parseQuery(expression);
  const started = performance.now();
  const rows = executeQuery(graph, query).data.length;
  return { ms: performance.now() - started, rows };
}

const baseline = new TableStore({ indexed: false });
baseline.load(emulator.store.snapshot());
console.log(`ftrack emulator query benchmark: ${tasks} tasks, ${emulator.store.scan('Context').length} contexts`);
for (const expression of QUERIES) {
  const indexed = time(emulator.store, expression);
  const scanned = time(baseline, expression);
  console.log(`  ${expression.slice(0, 90)}…`);
  console.log(`    indexed ${indexed.ms.toFixed(1)} ms, scanning ${scanned.ms.toFixed(1)} ms, ${indexed.rows} rows, speed-up ×${(scanned.ms / indexed.ms).toFixed(1)}`);
}
const session = new Session(emulator.url, emulator.user, emulator.apiKey, { autoConnectEventHub: false });
await session.initializing;
const started = performance.now();
const { data } = await session.query(QUERIES[0] ?? '');
console.log(`  through @ftrack/api over HTTP: ${(performance.now() - started).toFixed(1)} ms for ${data.length} tasks`);
await emulator.close();
