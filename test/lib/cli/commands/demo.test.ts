/**
 * `handoff demo --exit --json` end to end, as a newcomer runs it: a child
 * process builds the studio, outsources, delivers, publishes, and exits. The
 * test then reopens the demo's ftrack from its saved store and finds the
 * version there, and plays the review movie with ffprobe.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../../../lib/demo/index.ts';
import { startFtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { resolveFfprobe } from '../../../../lib/media/index.ts';
import { createFtrackTracker } from '../../../../lib/tracker/ftrack/index.ts';

const BIN = fileURLToPath(new URL('../../../../bin/handoff.js', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-demo-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const demo = (args: string[]) => execa('node', [BIN, 'demo', '--exit', '--json', ...args], { reject: false, timeout: 90_000, env: { NO_COLOR: '1' } });

describe('handoff demo', () => {
  it('runs the whole loop and leaves a version with a playable review movie in ftrack', async () => {
    const dir = path.join(await tempDir(), 'demo');
    const result = await demo(['--keep', dir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const envelope = JSON.parse(result.stdout) as { ok: boolean; data: DemoSummary };
    expect(envelope.ok).toBe(true);
    const summary = envelope.data;
    expect(summary.root).toBe(dir);
    expect(summary.delivery.files).toBeGreaterThanOrEqual(116);
    expect(summary.delivery.verified).toBe(summary.delivery.files);
    expect(summary.publish).toMatchObject({ folder: 'scd_0010_0010_cleanup_v001', verdict: 'can_publish' });
    expect(summary.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=.{16,}/);

    // The review movie plays: H.264, 4:2:0, one frame per delivered frame (1001-1100 with 8 handles each side).
    const ffprobe = await resolveFfprobe();
    expect(ffprobe).toBeTruthy();
    const probe = await execa(ffprobe!, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt,nb_read_frames', '-of', 'json', summary.version.reviewMovie!]);
    const [stream] = (JSON.parse(probe.stdout) as { streams: { codec_name: string; pix_fmt: string; nb_read_frames: string }[] }).streams;
    expect(stream).toEqual({ codec_name: 'h264', pix_fmt: 'yuv420p', nb_read_frames: '116' });

    // The version is in the demo's ftrack, reopened from its saved store.
    const emulator = await startFtrackEmulator({ persist: summary.ftrack.store, apiKey: 'reopened-demo-key', user: summary.ftrack.user });
    cleanups.push(() => emulator.close());
    const tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
    cleanups.push(() => tracker.close());
    const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    const versions = await tracker.listVersions(task!.task.id);
    expect(versions.map((v) => [v.id, v.asset, v.version, v.hasReviewable, v.hasThumbnail])).toEqual([[summary.version.id, 'scd_0010_0010_cleanup', 1, true, true]]);
    expect(versions[0]!.components).toEqual([expect.objectContaining({ name: 'exr', kind: 'sequence', path: summary.version.components[0]!.path })]);
    expect(versions[0]!.comment).toContain('Boom mic removed');
    expect(task!.task.status.name).toBe('Pending review');
    const reviews = emulator.graph().scan('Component').filter((c) => c.version_id === summary.version.id && c.name === 'ftrackreview-mp4');
    expect(reviews).toHaveLength(1);
  }, 120_000);

  it('stops at the first failing step, says which, and exits non-zero', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'earlier.txt'), 'keep me');
    const result = await demo(['--keep', dir]);
    expect(result.exitCode).not.toBe(0);
    const envelope = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string; hint: string } };
    expect(envelope).toMatchObject({ ok: false, error: { code: 'DEMO_FOLDER_NOT_EMPTY', details: { step: 'Prepare the demo folder' } } });
    expect(envelope.error.message).toMatch(/^Prepare the demo folder failed: .* is not empty/);
    expect(envelope.error.hint).toMatch(/empty folder/);
  }, 60_000);
});
