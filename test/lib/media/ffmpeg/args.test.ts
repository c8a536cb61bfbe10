import { describe, expect, it } from 'vitest';
import { buildArgs, escapeFilterValue, h264ReviewOptions, renderFilterChain } from '../../../../lib/media/ffmpeg/index.ts';

describe('escapeFilterValue', () => {
  it('escapes option separators and filtergraph punctuation', () => {
    expect(escapeFilterValue('/a/b.ttf')).toBe('/a/b.ttf');
    // Two levels: option value (C\:\\f.ttf), then the filtergraph around it.
    expect(escapeFilterValue('C:\\f.ttf')).toBe('C\\\\:\\\\\\\\f.ttf');
    expect(escapeFilterValue("it's")).toBe("it\\\\\\'s");
    expect(escapeFilterValue('a,b[c];d')).toBe('a\\,b\\[c\\]\\;d');
  });
});

describe('buildArgs', () => {
  it('orders decoder options before -i and the output last', () => {
    const args = buildArgs({
      inputs: [{ path: '/s/plate.%04d.exr', sequence: { startNumber: 1001, frameRate: 25 }, applyTrc: 'iec61966_2_1' }],
      filters: [{ name: 'scale', options: { w: 64, h: 36, skip: undefined } }, { name: 'format', options: { pix_fmts: 'yuv420p' } }],
      output: { path: '/o.mp4', options: h264ReviewOptions({ crf: 20, preset: 'veryfast', gop: 25 }) },
      progress: true,
      exitOnError: true,
    });
    const input = args.indexOf('-i');
    expect(args.slice(input - 8, input + 2)).toEqual([
      '-apply_trc', 'iec61966_2_1', '-f', 'image2', '-framerate', '25', '-start_number', '1001', '-i', '/s/plate.%04d.exr',
    ]);
    expect(args).toContain('-xerror');
    expect(args[args.indexOf('-progress') + 1]).toBe('pipe:1');
    expect(args[args.indexOf('-vf') + 1]).toBe('scale=w=64:h=36,format=pix_fmts=yuv420p');
    expect(args[args.indexOf('-movflags') + 1]).toBe('+faststart');
    expect(args.at(-1)).toBe('/o.mp4');
  });

  it('renders filters without options as bare names', () => {
    expect(renderFilterChain([{ name: 'hflip' }, { name: 'scale', options: { w: 2 } }])).toBe('hflip,scale=w=2');
  });
});
