import { mkdir, mkdtemp, readlink, realpath, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfiner } from '../../../../lib/transfer/wire/confine.ts';

describe('createConfiner', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'handoff-confine-'));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    await mkdir(root);
    await mkdir(outside);
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('creates nested folders inside the root and reuses them', async () => {
    const confiner = createConfiner(root);
    const first = await confiner.resolve('a/b/c/one.txt', true);
    expect(first.endsWith(path.join('a', 'b', 'c', 'one.txt'))).toBe(true);
    expect((await stat(path.dirname(first))).isDirectory()).toBe(true);
    // A sibling under a proven folder is answered at once, without a promise.
    const second = confiner.resolve('a/b/d/two.txt', true);
    expect(typeof second).toBe('string');
    expect((await stat(path.dirname(second as string))).isDirectory()).toBe(true);
  });

  it('refuses a folder that is a link out of the root, when writing and when reading', async () => {
    await symlink(outside, path.join(root, 'escape'));
    await mkdir(path.join(root, 'inside'));
    const confiner = createConfiner(root);
    await confiner.resolve('inside/ok.txt', true);
    await expect(Promise.resolve().then(() => confiner.resolve('escape/x.txt', true))).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
    await expect(Promise.resolve().then(() => confiner.resolve('escape/deeper/x.txt', true))).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
    await expect(Promise.resolve().then(() => confiner.resolve('escape/x.txt', false))).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
    expect(await readlink(path.join(root, 'escape'))).toBe(outside);
  });

  it('still accepts a link to a folder inside the root', async () => {
    await mkdir(path.join(root, 'real'));
    await symlink(path.join(root, 'real'), path.join(root, 'alias'));
    const confiner = createConfiner(root);
    const resolved = await confiner.resolve('alias/file.txt', false);
    expect(resolved).toBe(path.join(await realpath(root), 'alias', 'file.txt'));
  });
});
