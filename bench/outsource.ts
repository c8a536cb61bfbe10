/**
 * The Outsource click on a huge plate: one task with N frames (default 100,000).
 * Measures, in the same run:
 *   collect   lib/outsource collection (sliced sync stat, compiled globs, whole-folder
 *             sources, sequence grouping) against a naive baseline (await stat per file,
 *             a glob regex built per file, one transfer task per file);
 *   click     the whole launch up to the reply: resolve, collect, describe, queue in the
 *             embedded transfer core (SQLite);
 *   manifest  hashing H files cold against the warm cache (unchanged size + mtime).
 * Collection runs `rounds` times alternated with the baseline; the medians are printed.
 * Usage: npm run bench:outsource [-- <frames> <hashed files> <rounds>]   (default 100000 2000 3)
 */
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectTask, createOutsource, parseOutsourceSettings } from '../lib/outsource/index.ts';
import { writeManifest } from '../lib/outsource/manifest.ts';
import { createMemoryTracker, loadStudioSeed } from '../lib/tracker/index.ts';
import { createEmbeddedTransfer } from '../lib/transfer/index.ts';

const frames = Number(process.argv[2] ?? 100_000);
const hashedFiles = Math.min(Number(process.argv[3] ?? 2_000), frames);
const rounds = Number(process.argv[4] ?? 3);
const PLATES = 'scd/0010/0010/src/plates';

async function naiveCollect(volume: string, folder: string, glob: string): Promise<{ files: number; bytes: number; tasks: number }> {
  let files = 0;
  let bytes = 0;
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(path.join(volume, rel))) {
      const child = `${rel}/${name}`;
      const info = await stat(path.join(volume, child));
      if (info.isDirectory()) await walk(child);
      else if (new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(name)) {
        files++;
        bytes += info.size;
      }
    }
  };
  await walk(folder);
  return { files, bytes, tasks: files };
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** The middle run of several, alternated with the baseline, so a busy machine skews both alike. */
function median<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-bench-outsource-'));
try {
  const volume = path.join(dir, 'proj');
  await mkdir(path.join(volume, PLATES), { recursive: true });
  const made = performance.now();
  for (let i = 0; i < frames; i++) writeFileSync(path.join(volume, PLATES, `scd_0010_0010_plate.${String(1001 + i).padStart(7, '0')}.exr`), 'frame');
  writeFileSync(path.join(volume, PLATES, 'scanner_notes.txt'), 'notes');
  console.log(`fixture: ${frames.toLocaleString('en-US')} frames written in ${((performance.now() - made) / 1000).toFixed(1)} s`);

  const send = [{ template: 'plates', globs: ['*.exr'], optional: false }];
  const fields = { project: 'scd', sequence: '0010', shot: '0010' };
  const paths = { plates: '{project}/{sequence}/{shot}/src/plates' };
  const naiveRuns: Awaited<ReturnType<typeof time<Awaited<ReturnType<typeof naiveCollect>>>>>[] = [];
  const ourRuns: Awaited<ReturnType<typeof time<Awaited<ReturnType<typeof collectTask>>>>>[] = [];
  for (let round = 0; round < rounds; round++) {
    naiveRuns.push(await time(() => naiveCollect(volume, PLATES, '*.exr')));
    ourRuns.push(await time(() => collectTask({ volumeRoot: volume, send, paths, fields })));
  }
  const naive = median(naiveRuns);
  const ours = median(ourRuns);
  if (ours.value.files !== naive.value.files) throw new Error(`collected ${ours.value.files} files, the baseline ${naive.value.files}`);
  const sources = ours.value.sources.reduce((n, s) => n + s.sources.length, 0);
  console.log(`collect   handoff ${ours.ms.toFixed(0)} ms (median of ${rounds}) (${sources} transfer tasks, ${ours.value.sources[0]?.sequences.length} sequence)`);
  console.log(`          naive   ${naive.ms.toFixed(0)} ms (median of ${rounds}, ${naive.value.tasks.toLocaleString('en-US')} transfer tasks)`);
  console.log(`          ratio   ${(naive.ms / ours.ms).toFixed(1)}x faster`);

  const settings = parseOutsourceSettings({
    volumes: { proj: volume },
    vendors: { CompersInc: { name: 'Compers Inc', users: ['emma@compersinc.example'] } },
    rules: { Cleanup: { send } },
  });
  const transfer = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots: { hq: { proj: volume } }, schedule: false });
  const tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
  try {
    const outsource = createOutsource({ settings, transfer, dataDir: path.join(dir, 'data') });
    const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    const click = await time(() => outsource.outsource({ tracker, taskIds: [task!.task.id] }));
    if (click.value.type !== 'queued' || click.value.deliveries[0]?.status !== 'sent') throw new Error('the click did not queue the task');
    console.log(`click     ${click.ms.toFixed(0)} ms to the reply for ${click.value.deliveries[0].files.toLocaleString('en-US')} files`);
  } finally {
    await transfer.close();
    await tracker.close();
  }

  const names = (await readdir(path.join(volume, PLATES))).filter((n) => n.endsWith('.exr')).slice(0, hashedFiles);
  const files = await Promise.all(names.map(async (n) => {
    const rel = `${PLATES}/${n}`;
    const info = await stat(path.join(volume, rel));
    return { path: rel, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
  }));
  const head = { task: { id: 'bench', path: 'scd/0010/0010/cleanup' }, vendor: 'CompersInc', job: 'bench' };
  const target = path.join(dir, 'manifest.json');
  const cold = await time(() => writeManifest(target, volume, head, files));
  const warm = await time(() => writeManifest(target, volume, head, files));
  console.log(`manifest  cold ${cold.ms.toFixed(0)} ms (${cold.value.hashed} hashed), warm ${warm.ms.toFixed(0)} ms (${warm.value.cached} from cache): ${(cold.ms / warm.ms).toFixed(1)}x`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
