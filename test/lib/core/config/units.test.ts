import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate, parseSize } from '../../../../lib/core/config/units.ts';

describe('config units', () => {
  it('parses sizes in decimal and binary units', () => {
    expect(parseSize('8 MiB')).toBe(8 * 2 ** 20);
    expect(parseSize('512KB')).toBe(512_000);
    expect(parseSize('100')).toBe(100);
    expect(parseSize('lots')).toBeUndefined();
    expect(parseSize('5 parsecs')).toBeUndefined();
  });

  it('parses rates in bytes and bits per second', () => {
    expect(parseRate('100 MB/s')).toBe(100_000_000);
    expect(parseRate('1 Gbit/s')).toBe(125_000_000);
    expect(parseRate('10MBps')).toBe(10_000_000);
    expect(parseRate('100 MB')).toBeUndefined();
    // What `${BANDWIDTH:-0}` gives once interpolated: a bare number of bytes per second.
    expect(parseRate('0')).toBe(0);
    expect(parseRate('1500000')).toBe(1_500_000);
  });

  it('parses durations to milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
  });
});
