/* eslint-disable no-control-regex -- these tests check the ANSI escapes a terminal receives */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../lib/cli/progress.ts';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text), isTTY, columns: 80 } };
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('progress without a terminal', () => {
  it('prints a start line, a plain line at most once per interval and a final line', () => {
    const { writes, stream } = sink(false);
    const time = clock();
    const bar = createProgress({ stream, now: time.now, interval: 1000 }).start({ label: 'scd_0010', total: 2_000_000, unit: 'bytes' });
    bar.update(100_000);
    time.advance(1000);
    bar.update(1_000_000);
    time.advance(500);
    bar.update(1_500_000);
    time.advance(500);
    bar.update(2_000_000);
    bar.done();
    bar.done();
    expect(writes).toEqual([
      'scd_0010: started (2.00 MB)\n',
      'scd_0010: 50% 1.00 MB/2.00 MB 1.00 MB/s ETA 1.0s\n',
      'scd_0010: 100% 2.00 MB/2.00 MB 1.00 MB/s\n',
      'scd_0010: done 100% 2.00 MB/2.00 MB 1.00 MB/s\n',
    ]);
  });

  it('counts without a total and reports failures', () => {
    const { writes, stream } = sink(false);
    const time = clock();
    const bar = createProgress({ stream, now: time.now }).start({ label: 'scan' });
    time.advance(2000);
    bar.increment(3);
    bar.fail('disk full');
    expect(writes).toEqual(['scan: started\n', 'scan: failed 3 1.5/s - disk full\n']);
  });

  it('draws nothing when disabled (--json)', () => {
    const { writes, stream } = sink(true);
    const bar = createProgress({ stream, enabled: false }).start({ label: 'x', total: 1 });
    bar.update(1);
    bar.done();
    expect(writes).toEqual([]);
  });
});

describe('progress on a terminal', () => {
  it('redraws several bars in place and keeps finished ones above', () => {
    const { writes, stream } = sink(true);
    const time = clock();
    const progress = createProgress({ stream, now: time.now, color: false, redraw: 100 });
    const a = progress.start({ label: 'plates', total: 10 });
    const b = progress.start({ label: 'refs', total: 4 });
    expect(writes[0]).toMatch(/^plates +░+ 0% 0\/10/);
    expect(writes[1]).toMatch(/^\x1b\[1A\r\x1b\[0Jplates .*\nrefs .*\n$/);

    a.update(5);
    expect(writes).toHaveLength(2);
    time.advance(100);
    a.update(6);
    expect(writes[2]).toMatch(/^\x1b\[2A\r\x1b\[0Jplates +█+░+ 60% 6\/10.*\nrefs .* 0% 0\/4/);

    b.done();
    const last = writes[3] as string;
    expect(last.startsWith('\x1b[2A\r\x1b[0J✔ refs: done')).toBe(true);
    expect(last.split('\n').filter(Boolean)).toHaveLength(2);
    a.done();
    expect(writes[4]).toMatch(/^\x1b\[1A\r\x1b\[0J✔ plates: done 60%/);
    a.update(10);
    expect(writes).toHaveLength(5);
  });

  it('prints log lines and notes above the live bars', () => {
    const { writes, stream } = sink(true);
    const progress = createProgress({ stream, now: () => 0, color: false });
    progress.print('before any bar\n');
    const bar = progress.start({ label: 'plates', total: 2 });
    progress.print('INFO transfer chunk verified');
    expect(writes[0]).toBe('before any bar\n');
    expect(writes[2]).toMatch(/^\x1b\[1A\r\x1b\[0JINFO transfer chunk verified\nplates .* 0% 0\/2/);
    bar.done();
    progress.print('after');
    expect(writes.at(-1)).toBe('after\n');
  });
});
