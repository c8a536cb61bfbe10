/**
 * Grouping a large folder listing into frame sequences: the sequences module
 * against a naive regex-per-file + Map grouping, measured in the same run.
 * Usage: npm run bench:sequences [-- <files> <rounds>]   (default 100000 files, 5 rounds)
 */
import { performance } from 'node:perf_hooks';
import { findSequences } from '../lib/core/sequences/index.ts';

const fileCount = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);

function listing(count: number, shuffled: boolean): string[] {
  const names: string[] = [];
  let shot = 0;
  while (names.length < count) {
    shot += 10;
    const folder = `scd/${String(shot).padStart(4, '0')}`;
    for (let frame = 1001; frame <= 1240 && names.length < count; frame++) {
      names.push(`${folder}/plate/scd_${shot}_plate_v003.${frame}.exr`);
      if (frame % 2 === 0) names.push(`${folder}/comp/scd_${shot}_comp_v001.${String(frame - 1000).padStart(4, '0')}.exr`);
      if (frame % 40 === 0) names.push(`${folder}/notes_v${frame}.txt`);
    }
  }
  names.length = count;
  if (!shuffled) return names.sort();
  let seed = 42;
  for (let i = names.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return names;
}

/** The obvious approach: one regex per name, a Map of groups, sort each group. */
function naiveGroup(names: string[]): number {
  const pattern = /^(.*?)(\d+)((?:\.[A-Za-z]\w*)*)$/;
  const groups = new Map<string, { frame: number; name: string; width: number }[]>();
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || /[vV]$/.test(match[1]!)) continue;
    const key = `${match[1]}|${match[3]}`;
    const list = groups.get(key) ?? [];
    list.push({ frame: Number(match[2]), name, width: match[2]!.length });
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.frame - b.frame || a.name.localeCompare(b.name));
    Math.min(...list.map((item) => item.width));
  }
  return groups.size;
}

/** Alternates the two runs each round so both see the same machine load; returns median ms. */
function compareRuns(runs: Record<string, () => number>): Record<string, number> {
  const times: Record<string, number[]> = {};
  const groups: Record<string, number> = {};
  for (let i = 0; i < rounds; i++) {
    for (const [label, run] of Object.entries(runs)) {
      const started = performance.now();
      groups[label] = run();
      (times[label] ??= []).push(performance.now() - started);
    }
  }
  const medians: Record<string, number> = {};
  for (const [label, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    const median = list[Math.floor(list.length / 2)]!;
    medians[label] = median;
    const rate = Math.round(fileCount / (median / 1000)).toLocaleString('en-US');
    console.log(`${label.padEnd(22)} ${median.toFixed(1).padStart(8)} ms  ${rate.padStart(12)} files/s  (${groups[label]} groups)`);
  }
  return medians;
}

for (const shuffled of [false, true]) {
  const names = listing(fileCount, shuffled);
  console.log(`\ngrouping ${fileCount.toLocaleString('en-US')} names (${shuffled ? 'shuffled' : 'sorted, as a folder walk yields them'}), median of ${rounds} rounds`);
  const medians = compareRuns({
    'naive regex + Map': () => naiveGroup(names),
    findSequences: () => findSequences(names).sequences.length,
  });
  const ratio = medians['naive regex + Map']! / medians.findSequences!;
  console.log(`ratio: findSequences runs at ${ratio.toFixed(2)}x the naive baseline's speed`);
}
