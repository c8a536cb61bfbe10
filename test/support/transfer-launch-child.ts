/**
 * Child process for the cross-process race test: opens the core on a shared
 * data directory (no scheduler) and launches the same job and tasks repeatedly.
 */
import { createTransferCore } from '../../lib/transfer/core/index.ts';

const { dataDir, launches } = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; launches: number };
const core = createTransferCore({ dataDir, schedule: false });
for (let i = 0; i < launches; i++) {
  const job = core.ensureJob({ name: 'shared-daily', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' } });
  core.appendTasks(job.id, [{ source: 'scd/a.exr' }, { source: 'scd/b.exr' }, { source: `scd/from-${process.pid}.exr` }]);
}
await core.close();
process.stdout.write('ok\n');
