/** Names on the wire: kept in their Unicode form, hidden names that always fit, long names failing for good. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toTransferError } from '../../../../lib/transfer/local/errors.ts';
import { asideName, keepForm, partialPath } from '../../../../lib/transfer/wire/names.ts';

describe('wire names', () => {
  it('keeps a path in its own Unicode form while vetting it like any other', () => {
    const nfd = 'plates/Cafe\u0301/re\u0301sume\u0301.exr';
    expect(keepForm(nfd)).toBe(nfd);
    expect(keepForm('a\\b/./c')).toBe('a/b/c');
    expect(() => keepForm('../etc/passwd')).toThrow(expect.objectContaining({ code: 'PATH_UNSAFE' }));
  });

  it('names a partial so it fits in 255 bytes, by a short hash when the name has no room', () => {
    expect(partialPath('/v/shot/a.exr')).toBe('/v/shot/.a.exr.handoff-partial');
    for (const length of [238, 239, 255]) {
      const name = `${'é'.repeat(Math.floor((length - 4) / 2))}${'x'.repeat((length - 4) % 2)}.exr`;
      const partial = path.basename(partialPath(`/v/shot/${name}`));
      expect(Buffer.byteLength(partial)).toBeLessThanOrEqual(255);
      expect(partial.endsWith('.handoff-partial')).toBe(true);
    }
    expect(partialPath(`/v/${'x'.repeat(235)}.exr`)).not.toBe(partialPath(`/v/${'y'.repeat(235)}.exr`));
  });

  it('sets a vendor version aside under a dated name that fits', () => {
    const at = new Date(Date.UTC(2026, 11, 7, 20, 35, 12));
    expect(asideName('notes.txt', at)).toBe('notes.vendor-20261207T203512.txt');
    expect(asideName('notes.txt', at, 2)).toBe('notes.vendor-20261207T203512-2.txt');
    expect(Buffer.byteLength(asideName(`${'x'.repeat(251)}.exr`, at))).toBeLessThanOrEqual(255);
  });

  it('does not retry a name the destination cannot hold', () => {
    const error = toTransferError(Object.assign(new Error('name too long'), { code: 'ENAMETOOLONG' }), 'a/b');
    expect(error).toMatchObject({ code: 'TRANSFER_NAME_TOO_LONG', retryable: false });
  });
});
