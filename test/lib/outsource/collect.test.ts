import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectTask } from '../../../lib/outsource/index.ts';
import { writeFiles } from '../../support/outsource-studio.ts';

const paths = { plates: '{project}/{shot}/plates', refs: '{project}/{shot}/ref' };
const fields = { project: 'scd', shot: '0010' };

describe('collectTask', () => {
  let volume: string;
  beforeEach(async () => {
    volume = await mkdtemp(path.join(os.tmpdir(), 'handoff-collect-'));
  });
  afterEach(async () => rm(volume, { recursive: true, force: true }));

  it('sends a folder whole when every file below it matches, else the matching files, and counts sequences', async () => {
    await writeFiles(volume, {
      'scd/0010/plates/left/p.1001.exr': 'aa',
      'scd/0010/plates/left/p.1002.exr': 'aa',
      'scd/0010/plates/left/p.1004.exr': 'aa',
      'scd/0010/plates/right/p.1001.exr': 'bb',
      'scd/0010/plates/right/readme.txt': 'r',
      'scd/0010/ref/a.jpg': 'ref',
    });
    const got = await collectTask({ volumeRoot: volume, paths, fields, send: [{ template: 'plates', globs: ['*.exr'], optional: false }, { template: 'refs', globs: ['**/*'], optional: false }] });
    expect(got.problems).toEqual([]);
    expect(got.files).toBe(5);
    expect(got.bytes).toBe(11);
    const [plates, refs] = got.sources;
    expect(plates!.sources).toEqual(['scd/0010/plates/left', 'scd/0010/plates/right/p.1001.exr']);
    expect(plates!.sequences).toEqual([{ pattern: 'left/p.####.exr', frames: '1001-1002,1004', count: 3 }]);
    expect(plates!.singles).toBe(1);
    expect(refs!.sources).toEqual(['scd/0010/ref']);
  });

  it('reports missing folders per entry, optional ones as such, and refuses paths leaving the volume', async () => {
    const got = await collectTask({
      volumeRoot: volume,
      paths,
      fields,
      send: [
        { template: 'plates', globs: ['**/*'], optional: false },
        { template: 'refs', globs: ['**/*'], optional: true },
        { template: '{project}/../../etc', globs: ['**/*'], optional: false },
      ],
    });
    expect(got.sources).toEqual([]);
    expect(got.problems).toEqual([
      { kind: 'missing', name: 'plates', folder: 'scd/0010/plates', optional: false },
      { kind: 'missing', name: 'refs', folder: 'scd/0010/ref', optional: true },
      expect.objectContaining({ kind: 'refused', name: '{project}/../../etc', code: 'PATH_UNSAFE' }),
    ]);
  });

  it('refuses a file that links outside the volume and reports a folder with no matching file as missing', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'handoff-outside-'));
    try {
      await writeFiles(outside, { 'secret.exr': 's' });
      await writeFiles(volume, { 'scd/0010/plates/p.1001.exr': 'p', 'scd/0010/ref/notes.txt': 'n' });
      await symlink(path.join(outside, 'secret.exr'), path.join(volume, 'scd/0010/plates/p.1002.exr'));
      const got = await collectTask({ volumeRoot: volume, paths, fields, send: [{ template: 'plates', globs: ['*.exr'], optional: false }, { template: 'refs', globs: ['*.jpg'], optional: false }] });
      expect(got.problems).toEqual([
        expect.objectContaining({ kind: 'refused', name: 'plates', path: 'scd/0010/plates/p.1002.exr', code: 'PATH_OUTSIDE_ROOT' }),
        { kind: 'missing', name: 'refs', folder: 'scd/0010/ref', optional: false },
      ]);
      expect(got.sources[0]!.sources).toEqual(['scd/0010/plates/p.1001.exr']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
