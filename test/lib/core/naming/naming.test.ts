import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { compileTemplate } from '../../../../lib/core/naming/index.ts';
import type { NamingIssueCode, ParseResult } from '../../../../lib/core/naming/index.ts';

const TASKS = ['cleanup', 'roto_paint', 'comp'];
const result = compileTemplate('{project}_{sequence}_{shot}_{task}_v{version:03}', {
  project: { case: 'lower' },
  sequence: { pattern: '\\d{4}' },
  shot: { pattern: /\d{4}/ },
  task: { values: TASKS },
});

function codes(parsed: ParseResult): NamingIssueCode[] {
  return parsed.ok ? [] : parsed.issues.map((i) => i.code);
}

describe('compileTemplate', () => {
  it('lists its fields in order', () => {
    expect(result.fields).toEqual(['project', 'sequence', 'shot', 'task', 'version']);
  });

  it.each([
    ['{project}_{shto}', 'unknown-token'],
    ['{project_{shot}', 'unbalanced-brace'],
    ['{project}}_x', 'unbalanced-brace'],
    ['{project', 'unbalanced-brace'],
    ['{}', 'bad-token'],
    ['{version:3}', 'bad-token'],
    ['plain text', 'no-fields'],
    ['{version:03}_{version:04}', 'bad-token'],
  ])('refuses %j (%s)', (text, reason) => {
    try {
      compileTemplate(text);
      expect.unreachable();
    } catch (err) {
      expect(isHandoffError(err, 'NAMING_TEMPLATE_INVALID')).toBe(true);
      expect((err as { details: { reason: string } }).details.reason).toBe(reason);
    }
  });

  it('refuses a field pattern that is not a regular expression', () => {
    expect(() => compileTemplate('{shot}', { shot: { pattern: '(' } })).toThrow(expect.objectContaining({ code: 'NAMING_TEMPLATE_INVALID' }));
  });

  it('accepts studio fields declared through options and literal braces', () => {
    const t = compileTemplate('{{{client}}}_{shot}', { client: {} });
    expect(t.format({ client: 'acme', shot: '0010' })).toBe('{acme}_0010');
    expect(t.parse('{acme}_0010')).toEqual({ ok: true, fields: { client: 'acme', shot: '0010' } });
  });
});

describe('format', () => {
  it('pads numbers and joins fields', () => {
    expect(result.format({ project: 'scd', sequence: '0010', shot: '0020', task: 'cleanup', version: 7 })).toBe('scd_0010_0020_cleanup_v007');
    expect(result.format({ project: 'scd', sequence: '0010', shot: '0020', task: 'comp', version: '12' })).toBe('scd_0010_0020_comp_v012');
    expect(result.format({ project: 'scd', sequence: '0010', shot: '0020', task: 'comp', version: 1234 })).toBe('scd_0010_0020_comp_v1234');
  });

  it('refuses missing fields, naming all of them', () => {
    try {
      result.format({ project: 'scd', sequence: '0010', task: '' });
      expect.unreachable();
    } catch (err) {
      expect(isHandoffError(err, 'NAMING_FIELD_MISSING')).toBe(true);
      expect((err as { details: { missing: string[] } }).details.missing).toEqual(['shot', 'task', 'version']);
    }
  });

  it('refuses values that break the rules, naming all of them', () => {
    try {
      result.format({ project: 'SCD', sequence: '10', shot: '0010', task: 'paint', version: 'x' });
      expect.unreachable();
    } catch (err) {
      expect(isHandoffError(err, 'NAMING_FIELD_INVALID')).toBe(true);
      const invalid = (err as { details: { invalid: { field: string }[] } }).details.invalid;
      expect(invalid.map((entry) => entry.field)).toEqual(['project', 'sequence', 'task', 'version']);
    }
  });

  it('builds path templates', () => {
    const paths = compileTemplate('{project}/{sequence}/{shot}/src/plates');
    expect(paths.format({ project: 'scd', sequence: '0010', shot: '0020' })).toBe('scd/0010/0020/src/plates');
    expect(paths.parse('scd/0010/0020/src/plates')).toEqual({ ok: true, fields: { project: 'scd', sequence: '0010', shot: '0020' } });
    expect(codes(paths.parse('scd/0010/src/plates'))).toEqual(['MISSING_FIELD']);
  });
});

describe('parse', () => {
  it('reads a correct name', () => {
    expect(result.parse('scd_0010_0010_roto_paint_v002')).toEqual({
      ok: true,
      fields: { project: 'scd', sequence: '0010', shot: '0010', task: 'roto_paint', version: '002' },
    });
    expect(result.parse('scd_0010_0010_comp_v1000').ok).toBe(true);
  });

  it.each([
    ['scd-0010-0010-cleanup-v001', ['WRONG_SEPARATOR']],
    ['scd.0010.0010.cleanup.v001', ['WRONG_SEPARATOR']],
    ['scd 0010 0010 cleanup v001', ['WRONG_SEPARATOR']],
    ['SCD_0010_0010_Cleanup_V001', ['WRONG_CASE', 'WRONG_CASE', 'WRONG_CASE']],
    ['scd_0010_0010_cleanup_001', ['MISSING_VERSION_PREFIX']],
    ['scd_0010_0010_cleanup_v1', ['BAD_VERSION_PADDING']],
    ['scd_0010_0010_cleanup_v0001', ['BAD_VERSION_PADDING']],
    ['scd_0010_0010_cleanup_v001_final', ['EXTRA_TEXT']],
    ['_scd_0010_0010_cleanup_v001', ['EXTRA_TEXT']],
    ['scd_0010_10_cleanup_v001', ['BAD_PADDING']],
    ['scd_0010_0010_cleanp_v001', ['UNKNOWN_TOKEN']],
    ['scd_0010_0010_roto-paint_v001', ['WRONG_SEPARATOR']],
    ['scd-0010-0010-Cleanup-v1_final', ['WRONG_SEPARATOR', 'WRONG_CASE', 'BAD_VERSION_PADDING', 'EXTRA_TEXT']],
  ])('recognises %s as a near miss of scd_0010_0010_*', (name, expected) => {
    const parsed = result.parse(name);
    expect(codes(parsed)).toEqual(expected);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.suggestion).toMatch(/^scd_0010_0010_(cleanup|roto_paint)_v001$/);
      expect(result.parse(parsed.suggestion!).ok).toBe(true);
      for (const found of parsed.issues) expect(found.hint.length).toBeGreaterThan(10);
    }
  });

  it('says what is missing and offers no guess it cannot make', () => {
    const noVersion = result.parse('scd_0010_0010_cleanup');
    expect(codes(noVersion)).toEqual(['MISSING_VERSION']);
    expect(noVersion.ok || noVersion.suggestion).toBeUndefined();
    expect(codes(result.parse('scd_0010_cleanup_v001'))).toEqual(['MISSING_FIELD']);
    expect(codes(result.parse('hello'))).toEqual(['NO_MATCH']);
    expect(codes(result.parse('scd_0010_0010_zzzzzz_v001'))).toEqual(['UNKNOWN_TOKEN']);
    expect(codes(result.parse('scd_abcd_0010_comp_v001'))).toEqual(['BAD_FIELD_VALUE']);
  });

  it('names the field that holds one part too many instead of calling the version missing', () => {
    const loose = compileTemplate('{project}_{sequence}_{shot}_{task}_v{version:03}', {
      sequence: { pattern: '\\d{4}' },
      shot: { pattern: '\\d{4}' },
    });
    const split = loose.parse('scd_0010_0010_clean_up_v001');
    expect(split).toMatchObject({ ok: false, issues: [{ code: 'BAD_FIELD_VALUE', field: 'task', found: 'clean_up' }] });
    expect(split.ok || split.issues[0]!.message).toContain('one part too many');
    expect(split.ok || split.suggestion).toBeUndefined();
    expect(loose.parse('scd_x_0010_0010_cleanup_v001')).toMatchObject({ ok: false, issues: [{ field: 'project', found: 'scd_x' }] });
    expect(codes(loose.parse('scd_0010_0010_cleanup'))).toEqual(['MISSING_VERSION']);
  });

  it('reports an ambiguous split unless known values settle it', () => {
    const loose = compileTemplate('{asset}_{task}', { asset: { pattern: '[a-z_]+' }, task: { pattern: '[a-z_]+' } });
    expect(codes(loose.parse('hero_car_paint'))).toEqual(['AMBIGUOUS_SPLIT']);
    const known = compileTemplate('{asset}_{task}', { asset: { pattern: '[a-z_]+' }, task: { values: ['paint', 'model'] } });
    expect(known.parse('hero_car_paint')).toEqual({ ok: true, fields: { asset: 'hero_car', task: 'paint' } });
  });

  it('diagnoses names against studio patterns written for other regex flavours', () => {
    const t = compileTemplate('{shot}_{variant}', { variant: { pattern: new RegExp('[a-z]\\-[a-z]') } });
    expect(t.parse('0010_a-b').ok).toBe(true);
    expect(codes(t.parse('0010_ab'))).toEqual(['BAD_FIELD_VALUE']);
  });

  it('checks repeated fields agree', () => {
    const t = compileTemplate('{shot}/{shot}_plate');
    expect(t.parse('0010/0010_plate').ok).toBe(true);
    expect(codes(t.parse('0010/0020_plate'))).toEqual(['INCONSISTENT_FIELD']);
  });

  it('never throws on hostile names and round-trips formatted ones', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (name) => {
        const parsed = result.parse(name);
        if (!parsed.ok) expect(parsed.issues.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.constantFrom(...TASKS),
        fc.integer({ min: 0, max: 99999 }),
        (project, seq, shot, task, version) => {
          const fields = { project, sequence: String(seq).padStart(4, '0'), shot: String(shot).padStart(4, '0'), task, version };
          const name = result.format(fields);
          expect(result.parse(name)).toEqual({ ok: true, fields: { ...fields, version: String(version).padStart(3, '0') } });
        },
      ),
    );
  });
});
