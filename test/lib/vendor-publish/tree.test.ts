/** Local drops: the vendor's walker, symlinks out, and header reads when the files are here. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTracker } from '../../../lib/tracker/index.ts';
import type { MemoryTracker } from '../../../lib/tracker/index.ts';
import { buildTree, prepublish } from '../../../lib/vendor-publish/index.ts';
import { exrSequence, tempDir } from '../../support/media-fixtures.ts';
import { compers, emma } from './support.ts';
import { tinySeed, vendorResult } from './studio.ts';

let dir: string;
let cleanup: () => Promise<void>;
let tracker: MemoryTracker;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('handoff-drop-'));
  tracker = createMemoryTracker({ seed: tinySeed });
});
afterEach(async () => {
  await tracker.close();
  await cleanup();
});

describe('local drops', () => {
  it('builds the tree with sizes and dates, and marks a symlink that leaves the folder', async () => {
    const folder = await vendorResult(dir);
    await writeFile(path.join(dir, 'secret.txt'), 'not yours');
    await symlink(path.join(dir, 'secret.txt'), path.join(folder, 'escape.exr'));
    const [tree] = await buildTree([folder]);
    expect(tree).toMatchObject({ filename: 'scd_0010_0010_cleanup_v001', is_dir: true });
    const names = tree!.files!.map((f) => f.filename);
    expect(names).toContain('plate.1001.exr');
    expect(tree!.files!.find((f) => f.filename === 'plate.1001.exr')).toMatchObject({ is_dir: false, modified: expect.stringMatching(/^\d{4}-/) });
    expect(tree!.size).toBe(tree!.files!.reduce((s, f) => s + f.size, 0));
    expect(tree!.files!.find((f) => f.filename === 'escape.exr')?.refused).toContain('points outside');
    const { folders } = await prepublish({ vendor: compers, user: emma, files: [tree!] }, { tracker });
    expect(folders[0]?.verdict).toBe('rejected');
    expect(folders[0]?.messages.filter((m) => m.level === 'error')).toEqual([expect.objectContaining({ title: 'Unsafe paths' })]);
  });

  it('reads one frame header to check the resolution when the files are here', async () => {
    const good = await vendorResult(dir);
    const small = path.join(dir, 'small', 'scd_0010_0010_cleanup_v001');
    await mkdir(small, { recursive: true });
    await exrSequence(small, { width: 32, height: 18 });
    const ok = await prepublish({ vendor: compers, user: emma, files: await buildTree([good]), localRoot: dir }, { tracker });
    expect(ok.folders[0]?.verdict).toBe('can_publish');
    expect(ok.folders[0]?.messages).toContainEqual(expect.objectContaining({ source: 'collect-frame-headers', message: 'exr 64x36' }));
    const bad = await prepublish({ vendor: compers, user: emma, files: await buildTree([small]), localRoot: path.dirname(small) }, { tracker });
    expect(bad.folders[0]?.messages.filter((m) => m.level === 'error')).toEqual([
      expect.objectContaining({ title: 'Wrong resolution', message: 'scd_0010_0010_cleanup_v001 is 32x18; the project is 64x36.' }),
    ]);
  });
});
