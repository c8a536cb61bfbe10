/**
 * Start-up time of the `handoff` command as people run it: `--version`, `--help` and
 * `jobs list` (with a config, on an empty data folder), each against `node -e 0` measured in
 * the same run, interleaved so machine load weighs on all alike. Builds dist/ first when it is
 * missing or stale (bin/build.js), as `npm install` does. BENCH_RUNS (default 15) runs each.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../bin/compiled.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'handoff.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const targets: Record<string, number> = { '--version': 0.3, '--help': 0.3, 'jobs list': 0.6 };

if (!compiledEntry()) execFileSync(process.execPath, [path.join(root, 'bin', 'build.js')], { stdio: 'inherit' });

const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-bench-startup-'));
const config = path.join(dir, 'studio.yaml');
writeFileSync(config, `version: 1\ntracker: { type: memory }\ntransfer: { dataDir: ${JSON.stringify(path.join(dir, 'data'))} }\n`);
const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  '--version': [bin, '--version'],
  '--help': [bin, '--help'],
  'jobs list': [bin, '--config', config, 'jobs', 'list'],
};

const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const [name, args] of Object.entries(cases)) {
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
      seconds[name]!.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = median(seconds['node -e 0']!);
console.log(`handoff start-up, median of ${runs} runs (${compiledEntry() ? 'compiled dist/' : 'sources through tsx'}), load average ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`${'command'.padEnd(12)} ${'median'.padStart(8)} ${'over node'.padStart(10)} ${'target'.padStart(7)}`);
for (const name of Object.keys(cases)) {
  const value = median(seconds[name]!);
  const target = targets[name];
  const over = name === 'node -e 0' ? '' : `+${(value - baseline).toFixed(3)}`;
  console.log(`${name.padEnd(12)} ${value.toFixed(3).padStart(7)}s ${over.padStart(10)} ${target ? `${target.toFixed(1)}s`.padStart(7) : ''}`);
}
