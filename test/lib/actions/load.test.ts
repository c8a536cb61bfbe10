import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadActions } from '../../../lib/actions/index.ts';

describe('loadActions', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'handoff-actions-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the built-in actions', async () => {
    expect((await loadActions()).map((a) => a.id)).toContain('task-info');
  });

  it('loads one action per folder, in folder order, and leaves other folders alone', async () => {
    for (const name of ['b-second', 'a-first']) {
      await mkdir(path.join(dir, name));
      await writeFile(
        path.join(dir, name, 'action.mjs'),
        `export default { id: '${name}', label: '${name}', discover: () => true, launch: () => ({ type: 'message', success: true, message: 'ok' }) };\n`,
      );
    }
    await mkdir(path.join(dir, 'templates'));
    expect((await loadActions(dir)).map((a) => a.id)).toEqual(['a-first', 'b-second']);
  });

  it('names a file without a default export', async () => {
    await mkdir(path.join(dir, 'empty'));
    await writeFile(path.join(dir, 'empty', 'action.mjs'), 'export const x = 1;\n');
    await expect(loadActions(dir)).rejects.toMatchObject({ code: 'ACTION_INVALID', details: { file: path.join(dir, 'empty', 'action.mjs') } });
  });

  it('says when the folder does not exist', async () => {
    await expect(loadActions(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ACTION_DIR_NOT_FOUND' });
  });
});
