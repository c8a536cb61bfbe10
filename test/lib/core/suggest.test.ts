import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closest, editDistance, requireFolders } from '../../../lib/core/suggest.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('did you mean', () => {
  it('measures edits and suggests only likely typos', () => {
    expect(editDistance('cleanp', 'cleanup')).toBe(1);
    expect(editDistance('Roto', 'roto')).toBe(0);
    expect(closest('cleanp', ['roto', 'cleanup', 'comp'])).toBe('cleanup');
    expect(closest('lighting', ['roto', 'cleanup'])).toBeUndefined();
  });

  it('names a missing folder, where it looked and the closest existing one', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'handoff-suggest-'));
    dirs.push(root);
    await mkdir(path.join(root, 'scd_0010_0010_cleanup_v001'));
    await expect(requireFolders([path.join(root, 'scd_0010_0010_cleanup_v001')], 'the agent root')).resolves.toBeUndefined();
    const missing = requireFolders([path.join(root, 'scd_0010_0010_cleanp_v001')], 'the agent root');
    await expect(missing).rejects.toMatchObject({ code: 'FOLDER_NOT_FOUND' });
    await expect(missing).rejects.toThrow(/in the agent root .*Did you mean "scd_0010_0010_cleanup_v001"\?/);
    await expect(requireFolders([path.join(root, 'nope', 'x')], 'the folder')).rejects.toMatchObject({ code: 'FOLDER_NOT_FOUND', hint: expect.stringContaining('does not exist') });
  });
});
