/**
 * Review-proxy throughput: makeReviewMovie (probe, frame check, encode, frame
 * count check, rename) against the very same ffmpeg command run directly.
 * Sizes: BENCH_WIDTH, BENCH_HEIGHT, BENCH_FRAMES, BENCH_RUNS, BENCH_SOURCE=png|exr.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { makeReviewMovie, planReviewMovie } from '../lib/media/index.ts';
import { exrSequence, pngSequence, tempDir } from '../test/support/media-fixtures.ts';

const width = Number(process.env.BENCH_WIDTH ?? 1920);
const height = Number(process.env.BENCH_HEIGHT ?? 1080);
const frames = Number(process.env.BENCH_FRAMES ?? 48);
const runs = Number(process.env.BENCH_RUNS ?? 4);
const source = process.env.BENCH_SOURCE === 'exr' ? 'exr' : 'png';

const { dir, cleanup } = await tempDir('handoff-bench-proxy-');
try {
  const seq = path.join(dir, 'seq');
  await mkdir(seq);
  const input = source === 'exr'
    ? await exrSequence(seq, { width, height, count: frames })
    : await pngSequence(seq, { width, height, count: frames });
  const output = path.join(dir, 'review.mp4');
  const options = { input, output, fps: 24, burnIns: { shot: 'sh010', version: 'v001', frameNumber: true } };

  const direct: number[] = [];
  const wrapped: number[] = [];
  const outside: number[] = [];
  const runDirect = async () => {
    const job = await planReviewMovie(options);
    const started = performance.now();
    await execa(job.ffmpeg, job.args, { stdin: 'ignore' });
    const ms = performance.now() - started;
    await rm(job.partial, { force: true });
    await rm(job.workDir, { recursive: true, force: true });
    return ms;
  };
  const runWrapped = async () => {
    const started = performance.now();
    const movie = await makeReviewMovie(options);
    const ms = performance.now() - started;
    outside.push(ms - movie.durationMs);
    await rm(output, { force: true });
    return ms;
  };
  // One warm-up each, then alternate which goes first so machine noise hits both alike.
  await runDirect();
  await runWrapped();
  for (let run = 0; run < runs; run += 1) {
    if (run % 2 === 0) {
      direct.push(await runDirect());
      wrapped.push(await runWrapped());
    } else {
      wrapped.push(await runWrapped());
      direct.push(await runDirect());
    }
  }
  const best = (list: number[]) => Math.min(...list);
  const all = (list: number[]) => list.map((ms) => ms.toFixed(0)).join(' ');
  const fps = (ms: number) => frames / (ms / 1000);
  const directFps = fps(best(direct));
  const wrappedFps = fps(best(wrapped));
  console.log(`source: ${frames} ${source} frames ${width}x${height}, ${runs} runs each (best of)`);
  console.log(`ffmpeg direct:   ${best(direct).toFixed(0)} ms  ${directFps.toFixed(1)} fps`);
  console.log(`makeReviewMovie: ${best(wrapped).toFixed(0)} ms  ${wrappedFps.toFixed(1)} fps`);
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
  console.log(`median ratio: ${(median(direct) / median(wrapped)).toFixed(3)}`);
  const overhead = median(outside);
  console.log(`time outside ffmpeg in makeReviewMovie (probe, frame checks, verify, rename): ${overhead.toFixed(0)} ms median`);
  console.log(`ratio from that overhead alone: ${(median(direct) / (median(direct) + overhead)).toFixed(3)}`);
  console.log(`all runs (ms): direct ${all(direct)} | makeReviewMovie ${all(wrapped)}`);
  console.log(`ratio (makeReviewMovie / direct throughput): ${(wrappedFps / directFps).toFixed(3)}`);
} finally {
  await cleanup();
}
