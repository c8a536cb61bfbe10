import { describe, expect, it } from 'vitest';
import { vendorOfEmail } from '../../../../lib/cli/commands/vendor.ts';
import type { HandoffConfig } from '../../../../lib/core/config/index.ts';
import { HandoffError } from '../../../../lib/core/errors.ts';

const config = {
  vendors: { CompersInc: { name: 'Compers Inc', users: ['emma@compersinc.example'] } },
} as unknown as HandoffConfig;

function failure(run: () => unknown): HandoffError {
  try {
    run();
  } catch (err) {
    if (err instanceof HandoffError) return err;
    throw err;
  }
  throw new Error('expected a HandoffError');
}

describe('vendorOfEmail', () => {
  it('finds the vendor by one of its people, case-insensitively', () => {
    expect(vendorOfEmail(config, ' Emma@CompersInc.example ')).toBe('CompersInc');
  });

  it('names the known vendor codes when --vendor is unknown', () => {
    const err = failure(() => vendorOfEmail(config, 'bob@x.example', 'Nope'));
    expect(err).toMatchObject({ code: 'VENDOR_NOT_FOUND', message: 'Vendor Nope is not in the config', hint: 'Pass --vendor with one of: CompersInc (or add this vendor to the config).' });
  });

  it('says how to add a person no vendor lists', () => {
    const err = failure(() => vendorOfEmail(config, 'bob@x.example'));
    expect(err.hint).toBe('Add the person to vendors.<code>.users in the config, or pass --vendor (CompersInc).');
  });
});
