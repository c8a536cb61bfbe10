import { describe, expect, it } from 'vitest';
import { compileGlobs } from '../../../lib/outsource/glob.ts';

describe('compileGlobs', () => {
  it('matches file names at any depth when the glob has no slash', () => {
    const exr = compileGlobs(['*.exr']);
    expect(exr('plate.1001.exr')).toBe(true);
    expect(exr('left/plate.1001.exr')).toBe(true);
    expect(exr('plate.1001.exr.bak')).toBe(false);
    expect(exr('notes.txt')).toBe(false);
  });

  it('keeps * and ? inside a folder and lets ** cross folders', () => {
    const match = compileGlobs(['left/*.exr', 'cams/**/*.abc', 'v?.nk']);
    expect(match('left/a.exr')).toBe(true);
    expect(match('left/deep/a.exr')).toBe(false);
    expect(match('cams/a.abc')).toBe(true);
    expect(match('cams/x/y/a.abc')).toBe(true);
    expect(match('v1.nk')).toBe(true);
    expect(match('v12.nk')).toBe(false);
  });

  it('picks one of braces and treats regex characters literally', () => {
    const match = compileGlobs(['*.{exr,dpx}', 'a+b (1).txt']);
    expect(match('x.dpx')).toBe(true);
    expect(match('x.exr')).toBe(true);
    expect(match('x.jpg')).toBe(false);
    expect(match('a+b (1).txt')).toBe(true);
    expect(match('aab (1).txt')).toBe(false);
  });
});
