/**
 * Pre-publish of a large vendor drop: every folder's name, task, version,
 * frames, types and sizes checked against the memory tracker. The baseline,
 * measured in the same run, is receiving the request: a JSON round trip of
 * the same tree, the least any HQ endpoint must spend on it.
 * Usage: npm run bench:prepublish [-- <files> <rounds>]   (default 100000 files, 3 rounds)
 */
import { performance } from 'node:perf_hooks';
import { planPublish } from '../lib/publish/index.ts';
import { createMemoryTracker } from '../lib/tracker/index.ts';
import type { StudioSeedInput } from '../lib/tracker/index.ts';
import { prepublish } from '../lib/vendor-publish/index.ts';
import type { TreeEntry } from '../lib/vendor-publish/index.ts';

const fileCount = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const FRAMES = 1000;
const folders = Math.max(1, Math.ceil(fileCount / FRAMES));
const shotName = (i: number) => String((i + 1) * 10).padStart(4, '0');

const seed: StudioSeedInput = {
  users: [{ username: 'emma@compersinc.example', name: 'Emma Compers', groups: ['Compers Inc'] }],
  statuses: [{ name: 'Pending review', state: 'in_progress' }, { name: 'In progress', state: 'in_progress' }],
  taskTypes: ['Cleanup'],
  projects: [{
    name: 'scd', fullName: 'Something Completely Different', fps: 24,
    sequences: [{ name: '0010', shots: Array.from({ length: folders }, (_, i) => ({
      name: shotName(i), frames: { start: 1001, end: 1000 + FRAMES, handles: 0 },
      tasks: [{ name: 'cleanup', type: 'Cleanup', status: 'In progress', assignees: ['emma@compersinc.example'] }],
    })) }],
  }],
};

function drop(): TreeEntry[] {
  return Array.from({ length: folders }, (_, i) => {
    const name = `scd_0010_${shotName(i)}_cleanup_v001`;
    const count = Math.min(FRAMES, fileCount - i * FRAMES);
    const files = Array.from({ length: count }, (_, f) => ({ filename: `${name}.${1001 + f}.exr`, is_dir: false, size: 2_000_000 + f, modified: '2026-11-20T10:00:00.000Z' }));
    return { filename: name, is_dir: true, size: files.reduce((s, x) => s + x.size, 0), files };
  });
}

async function main(): Promise<void> {
  const tracker = createMemoryTracker({ seed });
  const plan = await planPublish();
  const files = drop();
  const vendor = { code: 'CompersInc', group: 'Compers Inc', users: ['emma@compersinc.example'] };
  const base: number[] = [];
  const timed: number[] = [];
  let verdicts = '';
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    JSON.parse(JSON.stringify({ vendor, user: 'emma@compersinc.example', files }));
    base.push(performance.now() - started);
    started = performance.now();
    const response = await prepublish({ vendor, user: 'emma@compersinc.example', files }, { tracker, plan });
    timed.push(performance.now() - started);
    verdicts = [...new Set(response.folders.map((f) => f.verdict))].join(', ');
  }
  await tracker.close();
  const best = (xs: number[]) => Math.min(...xs);
  console.log(`prepublish: ${fileCount} files in ${folders} folders, ${rounds} rounds (verdicts: ${verdicts})`);
  console.log(`  JSON round trip of the request (baseline): ${best(base).toFixed(0)} ms`);
  console.log(`  pre-publish (all validators):             ${best(timed).toFixed(0)} ms  (${(fileCount / (best(timed) / 1000)).toFixed(0)} files/s)`);
  console.log(`  ratio pre-publish / baseline:              ${(best(timed) / best(base)).toFixed(2)}x`);
}

await main();
