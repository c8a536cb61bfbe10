import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { checkRelative, hasControlCharacter, joinSafeName, toSafeRelative } from '../../../../lib/core/paths/index.ts';

function reasonOf(input: string): string | undefined {
  const result = checkRelative(input);
  return result.ok ? undefined : result.reason;
}

describe('toSafeRelative', () => {
  it('normalises separators, dot and empty segments, and unicode to NFC', () => {
    expect(toSafeRelative('a\\b//c/./d/')).toBe('a/b/c/d');
    expect(toSafeRelative('./shots/0010')).toBe('shots/0010');
    const decomposed = 'cafe\u0301/plate.exr';
    expect(toSafeRelative(decomposed)).toBe('caf\u00e9/plate.exr');
  });

  it.each([
    ['', 'empty'],
    ['././/', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share\\x', 'unc'],
    ['//server/share', 'unc'],
    ['\\\\?\\C:\\x', 'unc'],
    ['C:\\Windows', 'drive-letter'],
    ['C:foo', 'drive-letter'],
    ['c:', 'drive-letter'],
    ['a/../../b', 'parent-segment'],
    ['..', 'parent-segment'],
    ['a\\..\\b', 'parent-segment'],
    ['a/b\u0000c', 'control-character'],
    ['a/b\nc', 'control-character'],
    ['a/b\u007f', 'control-character'],
    ['a/b\u0085', 'control-character'],
    ['a/evil\u202etxt.exe', 'control-character'],
    ['a/\ud800b', 'invalid-unicode'],
    ['a/file:stream', 'invalid-character'],
    ['a/what?.exr', 'invalid-character'],
    ['CON', 'reserved-name'],
    ['x/con.txt', 'reserved-name'],
    ['x/Nul.tar.gz', 'reserved-name'],
    ['x/com1', 'reserved-name'],
    ['x/LPT9.log', 'reserved-name'],
    ['x/COM\u00b9', 'reserved-name'],
    ['x/aux .txt', 'reserved-name'],
    ['x/name.', 'trailing-dot-or-space'],
    ['x/name ', 'trailing-dot-or-space'],
    ['x/...', 'trailing-dot-or-space'],
    [`x/${'a'.repeat(256)}`, 'segment-too-long'],
    [`x/${'é'.repeat(128)}`, 'segment-too-long'],
    [Array.from({ length: 20 }, () => 'a'.repeat(250)).join('/'), 'path-too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
    try {
      toSafeRelative(input);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(isHandoffError(err, 'PATH_UNSAFE')).toBe(true);
      expect((err as { details: { reason: string } }).details.reason).toBe(reason);
    }
  });

  it('accepts names that merely look close to refused ones', () => {
    for (const ok of ['console.txt', 'com10', 'lpt0', 'a/..b', 'a/b..c', '.hidden', 'x/CONFIG', 'nul_v001.exr', `x/${'a'.repeat(255)}`]) {
      expect(checkRelative(ok)).toEqual({ ok: true, path: ok });
    }
  });

  it('refuses non-string input without throwing from the checker', () => {
    expect(reasonOf(42 as unknown as string)).toBe('not-a-string');
  });
});

const SAFE_CHARS = fc.constantFrom(...'abcXYZ019_-+=@ é漢😀'.split(/(?:)/u));
const safeSegment = fc
  .array(SAFE_CHARS, { minLength: 1, maxLength: 12 })
  .map((chars) => `s${chars.join('')}x`);

const hostileSegment = fc.oneof(
  safeSegment,
  fc.constantFrom('..', '.', '', '/', '\\', '//', 'C:', 'c:x', 'CON', 'nul.txt', 'com1', 'a.', 'b ', '\\\\srv', '~', '..\\..', '%2e%2e'),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('.', '/', '\\', ':', '\u0000', '\n', 'a', 'é', '\u0301'), maxLength: 10 }),
);

describe('toSafeRelative properties', () => {
  it('never yields a path that can climb out, is absolute, or carries control characters', () => {
    fc.assert(
      fc.property(fc.array(hostileSegment, { maxLength: 8 }), fc.constantFrom('/', '\\'), (segments, sep) => {
        const result = checkRelative(segments.join(sep));
        if (!result.ok) return;
        const parts = result.path.split('/');
        expect(parts).not.toContain('..');
        expect(parts).not.toContain('.');
        expect(parts).not.toContain('');
        expect(result.path).not.toMatch(/^[a-zA-Z]:|\\/);
        expect(hasControlCharacter(result.path)).toBe(false);
        expect(result.path.normalize('NFC')).toBe(result.path);
        expect(checkRelative(result.path)).toEqual({ ok: true, path: result.path });
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips valid relative paths unchanged', () => {
    fc.assert(
      fc.property(fc.array(safeSegment, { minLength: 1, maxLength: 6 }), (segments) => {
        const input = segments.join('/').normalize('NFC');
        expect(toSafeRelative(input)).toBe(input);
        expect(toSafeRelative(segments.join('\\'))).toBe(input);
      }),
    );
  });

  it('joinSafeName agrees with vetting the whole path whenever it answers, and answers for plain names', () => {
    fc.assert(
      fc.property(fc.array(hostileSegment, { minLength: 1, maxLength: 6 }), fc.constantFrom('/', '\\'), hostileSegment, (segments, sep, name) => {
        const folder = checkRelative(segments.join(sep));
        if (!folder.ok) return;
        const whole = checkRelative(`${segments.join(sep)}/${name}`);
        const joined = joinSafeName(folder.path, name);
        if (joined !== undefined) expect(whole).toEqual({ ok: true, path: joined });
        if (/^[a-z0-9_]+(\.[a-z]+)?$/.test(name) && !/^(con|prn|aux|nul|com\d|lpt\d)$/.test(name.split('.')[0]!)) expect(joined).toBeDefined();
      }),
      { numRuns: 3000 },
    );
    expect(joinSafeName('shots/sh010', 'CON.txt')).toBeUndefined();
    expect(joinSafeName('shots/sh010', 'a\\b')).toBeUndefined();
    expect(joinSafeName('shots/sh010', 'plate.0001.exr')).toBe('shots/sh010/plate.0001.exr');
  });
});
