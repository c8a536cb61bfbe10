/**
 * `npm run bench:transfer` — handoff's wire (HQ → agent, TLS 1.3, verified
 * chunks) against rsync / scp / tar over ssh (and rclone when installed) on the
 * same link in the same run. Prints MB/s, files/s, CPU seconds per GB, peak
 * memory and handoff's ratio to each tool.
 *
 * Environment (small defaults for development; the full run is
 * BENCH_BIG_MB=2048 BENCH_SEQ_FILES=400 BENCH_SMALL_FILES=20000):
 *   BENCH_PROFILES   loopback (default) or any of lan,wan,intercontinental,lossy (root; the link emulator
 *                    ../shared/bench/wan.sh beside the repository, or BENCH_WAN_SH)
 *   BENCH_DATASETS   big,seq,small
 *   BENCH_DIRECTIONS deliver (HQ → agent, default), upload (agent → HQ; marked ↑), or both
 *   BENCH_BIG_MB=256 BENCH_SEQ_FILES=40 BENCH_SEQ_MB=12 BENCH_SMALL_FILES=2000 BENCH_SMALL_KB=4
 *   BENCH_TOOLS      baseline tools (default: every installed one; `none` to skip)
 *   BENCH_TOOL_TIMEOUT  seconds per baseline run (default 120); a stopped run is rated by the bytes that arrived
 *   BENCH_DIR        source data and state (default /tmp/handoff-bench)
 *   BENCH_DEST       destinations (default /dev/shm/handoff-bench-dst, a RAM disk, so no disk is measured)
 *   HANDOFF_BENCH_STREAMS, HANDOFF_BENCH_TUNING (JSON of WireTuning) to tune the wire
 *   BENCH_TIMELINE=1 (or a period in ms) prints the bytes moved so far during each handoff run
 *   BENCH_WARMUP=1   runs each handoff copy twice in the same HQ and agent and rates the second, as a
 *                    long-running server and agent would run it (the first, JIT-cold, run is listed too)
 *   BENCH_RUNS=N     N rounds of each dataset, the baselines interleaved with handoff; the table gives the
 *                    median and the spread (min–max) of each tool, and ratios of medians
 * Datasets beyond big,seq,small (BENCH_REDELIVER_FILES=100 BENCH_REDELIVER_KB=512, BENCH_RESUME_FILES=100 BENCH_RESUME_KB=2048):
 *   redeliver        the same tree delivered twice into the same place: the second run is rated, with the
 *                    share of the dataset's bytes it moved (the baselines copy twice as well)
 *   resume           HQ as `handoff serve` runs it (SQLite) killed with SIGKILL at BENCH_KILL_AT (0.6) of the
 *                    job, a new HQ finishes it: the file bytes both sent against the dataset's (loopback only)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedTools, runTool, startSshd } from './transfer/baselines.ts';
import type { Sshd } from './transfer/baselines.ts';
import { ensureDataset, primeDestination, warmCache } from './transfer/datasets.ts';
import type { Dataset, DatasetShape } from './transfer/datasets.ts';
import { cpuSeconds, peakRss, spawnNode } from './transfer/processes.ts';
import { runResume } from './transfer/resume.ts';
import { bytesUnder, verifyCopy } from './transfer/verify.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = process.env.BENCH_DIR ?? '/tmp/handoff-bench';
const dataRoot = path.join(benchDir, 'data');
const destinationRoot = process.env.BENCH_DEST ?? '/dev/shm/handoff-bench-dst';
const profiles = (process.env.BENCH_PROFILES ?? 'loopback').split(',');
const wanted = (process.env.BENCH_DATASETS ?? 'big,seq,small').split(',');
const directions = (process.env.BENCH_DIRECTIONS ?? 'deliver').split(',') as ('deliver' | 'upload')[];
const tools = process.env.BENCH_TOOLS ? process.env.BENCH_TOOLS.split(',').filter((tool) => tool !== 'none') : installedTools();
const warmup = process.env.BENCH_WARMUP === '1';
const runs = Math.max(1, env('BENCH_RUNS', 1));
const WAN = process.env.BENCH_WAN_SH ?? path.resolve(here, '../../shared/bench/wan.sh');

const shapes: DatasetShape[] = [
  { name: 'big' as const, files: 1, fileBytes: env('BENCH_BIG_MB', 256) * 2 ** 20, perFolder: 1 },
  { name: 'seq' as const, files: env('BENCH_SEQ_FILES', 40), fileBytes: env('BENCH_SEQ_MB', 12) * 2 ** 20, perFolder: Infinity },
  { name: 'small' as const, files: env('BENCH_SMALL_FILES', 2000), fileBytes: env('BENCH_SMALL_KB', 4) * 1024, perFolder: 100 },
  { name: 'redeliver' as const, files: env('BENCH_REDELIVER_FILES', 100), fileBytes: env('BENCH_REDELIVER_KB', 512) * 1024, perFolder: 50 },
  { name: 'resume' as const, files: env('BENCH_RESUME_FILES', 100), fileBytes: env('BENCH_RESUME_KB', 2048) * 1024, perFolder: 50 },
].filter((shape) => wanted.includes(shape.name));

interface Row {
  profile: string;
  dataset: string;
  tool: string;
  seconds: number;
  mbps: number;
  filesPerSecond: number;
  cpuPerGb: number;
  peakMb: number | undefined;
  ok: boolean;
}

const rows: Row[] = [];
const row = (profile: string, dataset: Dataset, tool: string, seconds: number, cpu: number, peak: number | undefined, ok: boolean): Row => {
  const entry = {
    profile,
    dataset: dataset.name,
    tool,
    seconds,
    mbps: dataset.totalBytes / 1e6 / seconds,
    filesPerSecond: dataset.files / seconds,
    cpuPerGb: cpu / (dataset.totalBytes / 1e9),
    peakMb: peak === undefined ? undefined : peak / 2 ** 20,
    ok,
  };
  rows.push(entry);
  console.log(`  ${tool.padEnd(9)} ${dataset.name.padEnd(6)} ${entry.mbps.toFixed(1).padStart(8)} MB/s ${entry.filesPerSecond.toFixed(0).padStart(8)} files/s ${entry.cpuPerGb.toFixed(2).padStart(6)} CPU-s/GB ${peak === undefined ? '' : `peak ${entry.peakMb!.toFixed(0)} MB`}${ok ? '' : '  COPY FAILED'}`);
  return entry;
};

interface HandoffResult {
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  peakBuffers: number;
  peakHeap: number;
  failed: number;
  firstError?: string;
  streams?: number;
  present: number;
  stats: { spareChunks: number; spareBatches: number; chunksResent: number; bytesSent: number };
}

async function runProfile(profile: string, datasets: Dataset[]): Promise<void> {
  const emulated = profile !== 'loopback';
  const ns = emulated ? { hq: 'tb-hq', vendor: 'tb-vendor' } : { hq: undefined, vendor: undefined };
  if (emulated) execFileSync(WAN, ['up', profile], { stdio: 'inherit' });
  const hqHost = emulated ? '10.77.0.1' : '127.0.0.1';
  const state = path.join(benchDir, `state-${process.pid}`);
  await rm(state, { recursive: true, force: true });
  console.log(`\n# ${profile}`);
  const vendorRoot = path.join(destinationRoot, 'vendor');
  const landingRoot = path.join(destinationRoot, 'hq');
  const hq = spawnNode(path.join(here, 'transfer/hq-process.ts'), [hqHost, dataRoot, path.join(state, 'hq'), landingRoot], ns.hq);
  const listening = JSON.parse(await hq.next((line) => line.includes('"listening"'), 60_000)) as { url: string; code: string };
  await rm(destinationRoot, { recursive: true, force: true });
  await mkdir(vendorRoot, { recursive: true });
  await mkdir(landingRoot, { recursive: true });
  const agent = spawnNode(path.join(here, 'transfer/agent-process.ts'), [listening.url, listening.code, vendorRoot, path.join(state, 'agent')], ns.vendor);
  await agent.next((line) => line === 'connected', 60_000);
  let sshd: Sshd | undefined;
  try {
    for (const dataset of datasets) {
      for (const direction of directions) {
        const upload = direction === 'upload';
        // An upload starts from a copy of the dataset in the vendor's root and lands in HQ's landing volume.
        const source = upload ? path.join(vendorRoot, dataset.folder) : path.join(dataRoot, dataset.folder);
        const landing = upload ? path.join(landingRoot, dataset.folder) : path.join(vendorRoot, dataset.folder);
        const label = { ...dataset, name: `${dataset.name}${upload ? '↑' : ''}` as Dataset['name'] };
        await rm(landing, { recursive: true, force: true });
        if (upload) execFileSync('cp', ['-a', path.join(dataRoot, dataset.folder), vendorRoot]);
        const again = dataset.name === 'redeliver' && !upload;
        const copy = async (tool: string): Promise<{ mine: Row; result: HandoffResult; agentSpent: number }> => {
          warmCache(source);
          primeDestination(destinationRoot, dataset.totalBytes);
          const agentCpu = cpuSeconds(agent.child.pid!);
          hq.child.stdin!.write(`${JSON.stringify({ run: dataset.folder, direction })}\n`);
          const result = JSON.parse(await hq.next((line) => line.includes('"result"'), 60 * 60_000)) as HandoffResult;
          const agentSpent = cpuSeconds(agent.child.pid!) - agentCpu;
          const ok = result.failed === 0 && (await verifyCopy(path.join(dataRoot, dataset.folder), landing));
          if (result.firstError) console.log(`  first failure: ${result.firstError}`);
          const peak = Math.max(result.peakRss, peakRss(agent.child.pid!));
          return { mine: row(profile, label, tool, result.seconds, result.cpuSeconds + agentSpent, peak, ok), result, agentSpent };
        };
        for (let round = 0; round < runs; round++) {
        if (warmup && round === 0) {
          await copy('handoff (cold)');
          await rm(landing, { recursive: true, force: true });
        }
        if (again) await copy('handoff (first)');
        const { mine, result, agentSpent } = await copy('handoff');
        if (again) console.log(`            again: ${result.present} of ${dataset.files} files already there, ${result.stats.bytesSent} file bytes sent (${((100 * result.stats.bytesSent) / dataset.totalBytes).toFixed(2)}% of the dataset)`);
        console.log(`            peak memory: HQ ${(result.peakRss / 2 ** 20).toFixed(0)} MB (buffers ${(result.peakBuffers / 2 ** 20).toFixed(0)}, heap ${(result.peakHeap / 2 ** 20).toFixed(0)}), agent ${(peakRss(agent.child.pid!) / 2 ** 20).toFixed(0)} MB; ${result.streams} streams`);
        console.log(`            CPU: HQ ${result.cpuSeconds.toFixed(2)} s, agent ${agentSpent.toFixed(2)} s in ${result.seconds.toFixed(2)} s; spares: ${result.stats.spareChunks} chunks, ${result.stats.spareBatches} batches; ${result.stats.chunksResent} chunks re-sent`);
        await rm(landing, { recursive: true, force: true });
        if (tools.length > 0) {
          sshd ??= await startSshd(path.join(benchDir, 'ssh'), emulated ? '10.77.0.2' : '127.0.0.1', { server: ns.vendor, client: ns.hq });
          for (const tool of tools) {
            const target = path.join(destinationRoot, tool);
            await rm(target, { recursive: true, force: true, maxRetries: 20 });
            await mkdir(target, { recursive: true });
            warmCache(source);
            primeDestination(destinationRoot, dataset.totalBytes);
            // Every tool runs at HQ: it pushes a delivery to the vendor's sshd, and pulls an upload from it.
            if (again) runTool(tool, sshd, source, target, ns.hq, env('BENCH_TOOL_TIMEOUT', 120), upload);
            const run = runTool(tool, sshd, source, target, ns.hq, env('BENCH_TOOL_TIMEOUT', 120), upload);
            if (run.timedOut) {
              // Rate a stopped run by the bytes that had arrived, as if the whole dataset had been that fast.
              const arrived = await bytesUnder(target);
              sshd.endSessions();
              console.log(`  ${tool} stopped after ${run.seconds.toFixed(0)} s with ${(arrived / 1e6).toFixed(1)} MB arrived (time-boxed)`);
              run.seconds = (run.seconds * dataset.totalBytes) / Math.max(arrived, 1);
            }
            const copied = run.timedOut || (run.ok && (await verifyCopy(path.join(dataRoot, dataset.folder), path.join(target, dataset.folder))));
            const theirs = row(profile, run.timedOut ? { ...label, name: `${label.name}≈` as Dataset['name'] } : label, tool, run.seconds, run.cpuSeconds, undefined, copied);
            console.log(`  ${''.padEnd(9)} handoff is ${(theirs.seconds / mine.seconds).toFixed(2)}× ${tool}`);
            await rm(target, { recursive: true, force: true, maxRetries: 20 });
          }
        }
        }
        if (upload) await rm(source, { recursive: true, force: true });
      }
    }
  } finally {
    sshd?.stop();
    hq.child.stdin!.end();
    agent.child.kill('SIGTERM');
    await Promise.all([hq, agent].map((proc) => proc.exited(10_000)));
    await rm(state, { recursive: true, force: true });
    await rm(destinationRoot, { recursive: true, force: true });
    if (emulated) execFileSync(WAN, ['down'], { stdio: 'inherit' });
  }
}

await mkdir(dataRoot, { recursive: true });
const datasets: Dataset[] = [];
for (const shape of shapes) datasets.push(await ensureDataset(dataRoot, shape));
console.log(`datasets: ${datasets.map((d) => `${d.name} ${d.files} × ${(d.fileBytes / 2 ** 20).toFixed(3)} MiB`).join(', ')}; baselines: ${tools.join(', ') || 'none'}`);
const resumeSet = datasets.find((dataset) => dataset.name === 'resume');
let resumeOk = true;
for (const profile of profiles) await runProfile(profile, datasets.filter((dataset) => dataset.name !== 'resume'));
if (resumeSet) {
  const killAt = Number(process.env.BENCH_KILL_AT ?? 0.6);
  for (let round = 0; round < runs; round++) {
    const result = await runResume(here, dataRoot, path.join(benchDir, `resume-${process.pid}`), destinationRoot, resumeSet, killAt);
    resumeOk &&= result.ok;
    console.log(
      `\n# resume: HQ killed at ${(100 * result.killedAt).toFixed(0)}% after ${(result.firstBytes / 1e6).toFixed(1)} MB, the next HQ sent ${(result.secondBytes / 1e6).toFixed(1)} MB in ${result.secondSeconds.toFixed(2)} s: wire bytes ${result.ratio.toFixed(3)}× the dataset (${(resumeSet.totalBytes / 1e6).toFixed(1)} MB)${result.ok ? '' : '  COPY FAILED'}`,
    );
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const groups = new Map<string, Row[]>();
for (const entry of rows) {
  const key = `${entry.profile}|${entry.dataset.replace('≈', '')}|${entry.tool}`;
  groups.set(key, [...(groups.get(key) ?? []), entry]);
}
const seconds = (profile: string, dataset: string, tool: string): number | undefined => {
  const group = groups.get(`${profile}|${dataset}|${tool}`);
  return group && median(group.map((entry) => entry.seconds));
};
console.log(`\n| profile | dataset | tool | MB/s${runs > 1 ? ' (median, min–max)' : ''} | files/s | CPU-s/GB | peak MB | handoff ratio |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const group of groups.values()) {
  const first = group[0]!;
  const dataset = first.dataset.replace('≈', '');
  const mbps = group.map((entry) => entry.mbps);
  const spread = group.length > 1 ? ` (${Math.min(...mbps).toFixed(1)}–${Math.max(...mbps).toFixed(1)})` : '';
  const mine = seconds(first.profile, dataset, 'handoff');
  const theirs = seconds(first.profile, dataset, first.tool)!;
  const ratio = first.tool.startsWith('handoff') || mine === undefined ? '' : `${(theirs / mine).toFixed(2)}×`;
  const peaks = group.flatMap((entry) => (entry.peakMb === undefined ? [] : [entry.peakMb]));
  const failed = group.some((entry) => !entry.ok) ? ' (copy failed)' : '';
  console.log(
    `| ${first.profile} | ${first.dataset} | ${first.tool} | ${median(mbps).toFixed(1)}${spread} | ${median(group.map((e) => e.filesPerSecond)).toFixed(0)} | ${median(group.map((e) => e.cpuPerGb)).toFixed(2)} | ${peaks.length ? Math.max(...peaks).toFixed(0) : '–'} | ${ratio}${failed} |`,
  );
}
process.exit(rows.every((entry) => entry.ok) && resumeOk ? 0 : 1);
