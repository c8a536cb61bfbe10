import { describe, expect, it } from 'vitest';
import { buildArgs, createProgressParser, resolveFfmpeg, runFfmpeg } from '../../../../lib/media/ffmpeg/index.ts';
import type { FfmpegProgress } from '../../../../lib/media/ffmpeg/index.ts';

describe('createProgressParser', () => {
  it('emits one progress per block, across chunk boundaries', () => {
    const seen: FfmpegProgress[] = [];
    const feed = createProgressParser((p) => seen.push(p));
    feed('frame=5\nout_time_us=208333\nspe');
    feed('ed=1.5x\nprogress=continue\nframe=10\nout_time_us=416666\nspeed=N/A\nprogress=end\n');
    expect(seen).toEqual([
      { frame: 5, outTimeMs: 208, speed: 1.5, done: false },
      { frame: 10, outTimeMs: 417, speed: undefined, done: true },
    ]);
  });
});

describe('runFfmpeg', () => {
  const job = (frames: number) => buildArgs({
    inputs: [{ path: 'testsrc2=size=64x36:rate=24', format: 'lavfi' }],
    output: { path: '-', options: ['-frames:v', String(frames), '-f', 'null'] },
    progress: true,
  });

  it('returns a typed result with progress', async () => {
    const { path } = await resolveFfmpeg();
    const progress: FfmpegProgress[] = [];
    const result = await runFfmpeg(path, job(12), { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ ok: true, exitCode: 0, interrupted: undefined });
    expect(result.lastProgress).toMatchObject({ frame: 12, done: true });
    expect(progress.length).toBeGreaterThan(0);
  });

  it('reports failure with stderr instead of throwing', async () => {
    const { path } = await resolveFfmpeg();
    const result = await runFfmpeg(path, ['-hide_banner', '-i', '/nonexistent/input.mov', '-f', 'null', '-']);
    expect(result.ok).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/No such file/);
  });

  it('stops when its signal aborts', async () => {
    const { path } = await resolveFfmpeg();
    const controller = new AbortController();
    const result = await runFfmpeg(path, job(10_000_000), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(result).toMatchObject({ ok: false, interrupted: 'aborted' });
  });
});
