import fc from 'fast-check';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { confinePath, isInside, toSafeRelative } from '../../../../lib/core/paths/index.ts';

let base: string;
let root: string;
let outsideDir: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'handoff-confine-')));
  root = path.join(base, 'root');
  outsideDir = path.join(base, 'outside');
  await mkdir(path.join(root, 'shots', '0010'), { recursive: true });
  await mkdir(outsideDir);
  await writeFile(path.join(outsideDir, 'secret.txt'), 'secret');
  await symlink(outsideDir, path.join(root, 'escape'));
  await symlink(path.join(outsideDir, 'not-yet.txt'), path.join(root, 'dangling-out'));
  await symlink(path.join(root, 'shots', 'new.txt'), path.join(root, 'dangling-in'));
  await symlink('../shots', path.join(root, 'shots', 'up-inside'));
  await symlink('../..', path.join(root, 'shots', 'up-out'));
  await symlink('loop-b', path.join(root, 'loop-a'));
  await symlink('loop-a', path.join(root, 'loop-b'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function refusal(relative: string): Promise<{ code: string; reason: unknown }> {
  try {
    await confinePath(root, relative);
  } catch (err) {
    if (isHandoffError(err)) return { code: err.code, reason: err.details.reason };
    throw err;
  }
  throw new Error(`confinePath accepted ${relative}`);
}

describe('confinePath', () => {
  it('joins paths that stay inside, existing or not', async () => {
    expect(await confinePath(root, 'shots/0010')).toBe(path.join(root, 'shots', '0010'));
    expect(await confinePath(root, 'shots\\0010\\new\\deeper.exr')).toBe(path.join(root, 'shots', '0010', 'new', 'deeper.exr'));
  });

  it('follows symlinks that stay inside the root', async () => {
    expect(await confinePath(root, 'shots/up-inside/0010')).toBe(path.join(root, 'shots', 'up-inside', '0010'));
    expect(await confinePath(root, 'dangling-in')).toBe(path.join(root, 'dangling-in'));
  });

  it('refuses symlinks that lead out, dangling ones included', async () => {
    expect(await refusal('escape/secret.txt')).toEqual({ code: 'PATH_OUTSIDE_ROOT', reason: 'symlink-escape' });
    expect(await refusal('escape')).toEqual({ code: 'PATH_OUTSIDE_ROOT', reason: 'symlink-escape' });
    expect(await refusal('escape/new/file.exr')).toEqual({ code: 'PATH_OUTSIDE_ROOT', reason: 'symlink-escape' });
    expect(await refusal('dangling-out')).toEqual({ code: 'PATH_OUTSIDE_ROOT', reason: 'symlink-escape' });
    expect(await refusal('shots/up-out/outside')).toEqual({ code: 'PATH_OUTSIDE_ROOT', reason: 'symlink-escape' });
  });

  it('refuses symlink loops and unsafe input', async () => {
    expect(await refusal('loop-a/x')).toEqual({ code: 'PATH_UNSAFE', reason: 'symlink-loop' });
    expect(await refusal('../outside')).toEqual({ code: 'PATH_UNSAFE', reason: 'parent-segment' });
  });

  it('reports a missing root', async () => {
    await expect(confinePath(path.join(base, 'missing'), 'a')).rejects.toMatchObject({ code: 'PATH_ROOT_NOT_FOUND' });
  });

  it('never returns a path outside the root for hostile input', async () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '', 'escape', 'up-out', 'shots', 'up-inside', 'dangling-out', 'C:', '\\', '/', 'x'),
      fc.string({ unit: fc.constantFrom('.', '/', '\\', 'a', '\u0000'), maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 6 }), async (segments) => {
        const input = segments.join('/');
        try {
          const joined = await confinePath(root, input);
          expect(isInside(root, await realpath(joined).catch(() => joined))).toBe(true);
          expect(leavesRoot(toSafeRelative(input))).toBe(false);
        } catch (err) {
          expect(isHandoffError(err)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** A model of the links set up above: does this relative path leave the root? */
function leavesRoot(relative: string): boolean {
  const links: Record<string, string | null> = { escape: null, 'dangling-out': null, 'shots/up-out': null, 'shots/up-inside': 'shots' };
  let current: string[] = [];
  for (const part of relative.split('/')) {
    current.push(part);
    const target = links[current.join('/')];
    if (target === null) return true;
    if (target !== undefined) current = target.split('/');
  }
  return false;
}

describe('isInside', () => {
  it('tells a child from a sibling that shares a prefix', () => {
    expect(isInside('/srv/root', '/srv/root')).toBe(true);
    expect(isInside('/srv/root', '/srv/root/..x')).toBe(true);
    expect(isInside('/srv/root', '/srv/rootx')).toBe(false);
    expect(isInside('/srv/root', '/srv')).toBe(false);
  });
});
