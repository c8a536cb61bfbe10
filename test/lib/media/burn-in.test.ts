import { mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURN_IN_FONT, buildArgs, burnInFilters, escapeDrawtext, resolveFfmpeg, runFfmpeg } from '../../../lib/media/index.ts';
import { tempDir } from '../../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('burn-ins', () => {
  it('escapes drawtext expansion characters in names', () => {
    expect(escapeDrawtext('100% \\ done')).toBe('100\\% \\\\ done');
  });

  it('ships its font', async () => {
    expect((await stat(BURN_IN_FONT)).size).toBeGreaterThan(100_000);
  });

  it('draws from a work folder whose name needs filtergraph escaping, on every available ffmpeg', async () => {
    const workDir = path.join(dir, "it's, [odd]; a:b");
    await mkdir(workDir);
    const filters = await burnInFilters({ shot: 'sh010', version: 'v001', vendor: 'Acme', frameNumber: true }, { workDir, height: 36, startFrame: 1001 });
    expect(filters.map((f) => f.name)).toEqual(['drawtext', 'drawtext', 'drawtext']);
    const binaries = [(await resolveFfmpeg({ filters: ['drawtext'] })).path];
    const shipped = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (!binaries.includes(shipped)) binaries.push(shipped);
    for (const binary of binaries) {
      const args = buildArgs({
        inputs: [{ path: 'testsrc2=size=64x36:rate=24', format: 'lavfi' }],
        filters: [{ name: 'format', options: { pix_fmts: 'yuv420p' } }, ...filters],
        output: { path: '-', options: ['-frames:v', '3', '-f', 'null'] },
      });
      const result = await runFfmpeg(binary, args);
      expect(result.stderr).toBe('');
      expect(result.ok).toBe(true);
    }
  });
});
