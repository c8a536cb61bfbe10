/**
 * Where parties live on this machine: HQ volumes and (for same-site copies and
 * tests) vendor roots, as plain folders.
 */
import { HandoffError } from '../../core/errors.ts';
import type { Party } from '../types.ts';

export interface Roots {
  /** HQ volumes by code; the first one is the default volume. */
  hq?: Record<string, string> | undefined;
  /** Vendor roots by vendor code, when a vendor's storage is mounted here. */
  vendors?: Record<string, string> | undefined;
}

export function defaultVolume(roots: Roots): string | undefined {
  return Object.keys(roots.hq ?? {})[0];
}

/** The folder of a party, or undefined when it is not on this machine. */
export function findRoot(roots: Roots, party: Party): string | undefined {
  if (party.kind === 'hq') return roots.hq?.[party.volume ?? defaultVolume(roots) ?? ''];
  return roots.vendors?.[party.vendor];
}

export function requireRoot(roots: Roots, party: Party): string {
  const root = findRoot(roots, party);
  if (root === undefined) {
    const name = party.kind === 'hq' ? `HQ volume ${party.volume ?? '(default)'}` : `vendor ${party.vendor}`;
    throw new HandoffError('TRANSFER_ROOT_UNKNOWN', `No storage root is configured for ${name}`, {
      details: { party },
      hint: 'Add the volume or vendor folder to the transfer roots, or connect the vendor agent.',
    });
  }
  return root;
}

export function describeParty(party: Party): string {
  return party.kind === 'hq' ? `hq${party.volume ? `:${party.volume}` : ''}` : `vendor:${party.vendor}`;
}
