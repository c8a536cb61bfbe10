import { describe, expect, it } from 'vitest';
import { findSequences, splitFrameName } from '../../../../lib/core/sequences/index.ts';

const range = (start: number, end: number): number[] => Array.from({ length: end - start + 1 }, (_, i) => start + i);

describe('splitFrameName', () => {
  it.each([
    ['plate.1001.exr', ['plate.', '1001', '.exr']],
    ['comp_v001.1001.exr', ['comp_v001.', '1001', '.exr']],
    ['shots/a1/plate_0998.tar.gz', ['shots/a1/plate_', '0998', '.tar.gz']],
    ['render.exr.1001', ['render.exr.', '1001', '']],
    ['plate.-005.exr', ['plate.', '-005', '.exr']],
    ['shot-0010.exr', ['shot-', '0010', '.exr']],
    ['geo.0042.bgeo.sc', ['geo.', '0042', '.bgeo.sc']],
  ])('%s', (name, [head, digits, tail]) => {
    expect(splitFrameName(name)).toMatchObject({ head, digits, tail });
  });

  it.each(['comp_v001.exr', 'comp.V12.exr', 'readme.txt', 'archive.tar.gz', 'shot_0010_plate.exr', 'v001', 'id.1234567890.exr'])(
    'finds no frame in %s',
    (name) => {
      expect(splitFrameName(name)).toBeUndefined();
    },
  );

  it('reads the frame value, sign included', () => {
    expect(splitFrameName('plate.-005.exr')?.frame).toBe(-5);
    expect(splitFrameName('plate.0998.exr')?.frame).toBe(998);
  });
});

describe('findSequences', () => {
  it('groups a listing into sequences and singles', () => {
    const names = [...range(1001, 1100).map((f) => `plate.${f}.exr`), 'notes.txt', 'comp_v001.exr', ...range(1, 3).map((f) => `comp_v001.${String(f).padStart(4, '0')}.exr`)];
    const { sequences, singles, issues } = findSequences(names.reverse());
    expect(sequences.map(String)).toEqual(['comp_v001.####.exr 1-3', 'plate.####.exr 1001-1100']);
    expect(singles).toEqual(['comp_v001.exr', 'notes.txt']);
    expect(issues).toEqual([]);
    const plate = sequences[1]!;
    expect(plate.files[0]).toBe('plate.1001.exr');
    expect(plate.files).toHaveLength(100);
    expect(plate.pattern('%0Nd')).toBe('plate.%04d.exr');
    expect(plate.pattern('$F')).toBe('plate.$F4.exr');
    expect(plate.path(1042)).toBe('plate.1042.exr');
  });

  it('reports holes', () => {
    const names = range(1001, 1100).filter((f) => f < 1007 || (f > 1009 && f !== 1050)).map((f) => `plate.${f}.exr`);
    const [seq] = findSequences(names).sequences;
    expect(seq!.missing().describe()).toBe('1007-1009, 1050');
    expect(seq!.isComplete()).toBe(false);
    expect(seq!.isComplete(1010, 1049)).toBe(true);
    expect(seq!.missing(1001, 1102).describe()).toBe('1007-1009, 1050, 1101-1102');
  });

  it('joins frames wider than the padding into one sequence', () => {
    const padded = findSequences(range(998, 1002).map((f) => `plate.${String(f).padStart(4, '0')}.exr`));
    expect(padded.sequences.map(String)).toEqual(['plate.####.exr 998-1002']);
    const unpadded = findSequences(range(998, 1002).map((f) => `plate.${f}.exr`));
    expect(unpadded.sequences.map(String)).toEqual(['plate.###.exr 998-1002']);
    expect(unpadded.sequences[0]!.files).toEqual(['plate.998.exr', 'plate.999.exr', 'plate.1000.exr', 'plate.1001.exr', 'plate.1002.exr']);
    const small = findSequences(range(1, 12).map((f) => `plate.${f}.exr`));
    expect(small.sequences.map((s) => s.pattern())).toEqual(['plate.@.exr']);
    expect(small.issues).toEqual([]);
  });

  it('reports truly inconsistent padding and splits by width', () => {
    const names = ['plate.0001.exr', 'plate.0002.exr', 'plate.003.exr', 'plate.4.exr', 'plate.1000.exr'];
    const { sequences, issues } = findSequences(names);
    expect(sequences.map(String)).toEqual(['plate.@.exr 4', 'plate.###.exr 3', 'plate.####.exr 1-2,1000']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'INCONSISTENT_PADDING', head: 'plate.', tail: '.exr', paddings: [1, 3, 4] });
  });

  it('keeps a lone framed file as a one-frame sequence unless minFrames asks more', () => {
    expect(findSequences(['plate.1001.exr']).sequences.map(String)).toEqual(['plate.####.exr 1001']);
    const strict = findSequences(['plate.1001.exr', 'a.1.exr', 'a.2.exr'], { minFrames: 2 });
    expect(strict.sequences.map(String)).toEqual(['a.@.exr 1-2']);
    expect(strict.singles).toEqual(['plate.1001.exr']);
  });

  it('keeps folders apart and handles negative frames', () => {
    const names = ['a/plate.1001.exr', 'b/plate.1001.exr', 'neg.-02.exr', 'neg.-01.exr', 'neg.000.exr', 'neg.001.exr'];
    expect(findSequences(names).sequences.map(String)).toEqual(['a/plate.####.exr 1001', 'b/plate.####.exr 1001', 'neg.###.exr -2-1']);
  });

  it('de-duplicates repeated names', () => {
    const { sequences } = findSequences(['x.1.exr', 'x.1.exr', 'x.2.exr']);
    expect(sequences[0]!.files).toEqual(['x.1.exr', 'x.2.exr']);
  });
});
