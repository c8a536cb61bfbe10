/**
 * Vendor shares and grants. A share is a vendor's home folder on an HQ volume,
 * laid out from a template (`TO_CLIENT` readable, `FROM_CLIENT` writable).
 * `checkAccess` guards every path a vendor asks for: the most specific grant
 * covering the path decides, and nothing outside a grant is visible.
 */
import { mkdir } from 'node:fs/promises';
import { HandoffError } from '../../core/errors.ts';
import { confinePath, toSafeRelative } from '../../core/paths/index.ts';
import type { Grant, Share } from '../types.ts';
import type { Db } from './db.ts';
import type { EventBus } from './events.ts';
import { findRoot, type Roots } from './roots.ts';

export interface ShareTemplateEntry {
  folder: string;
  read: boolean;
  write: boolean;
}

export const defaultShareTemplate: readonly ShareTemplateEntry[] = [
  { folder: 'TO_CLIENT', read: true, write: false },
  { folder: 'FROM_CLIENT', read: false, write: true },
];

export interface Shares {
  ensureShare(share: Share): Promise<Share>;
  getShare(vendor: string): Share | undefined;
  grant(grant: Grant): void;
  listGrants(vendor: string): Grant[];
  checkAccess(vendor: string, path: string, mode: 'read' | 'write'): void;
  /** Grants read on `path` unless the vendor can already read it (keeps an existing write bit). */
  allowRead(vendor: string, path: string): void;
}

/** The path and each of its parent folders: the only grant paths that can cover it. */
function coveringPaths(safe: string): string[] {
  const parts = safe.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function requireVendor(vendor: unknown): string {
  if (typeof vendor !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(vendor)) {
    throw new HandoffError('TRANSFER_VENDOR_INVALID', `Invalid vendor code ${JSON.stringify(vendor)}`, {
      details: { vendor },
      hint: 'Vendor codes are letters, digits, ".", "_" or "-" (e.g. CompersInc).',
    });
  }
  return vendor;
}

export function createShares(db: Db, bus: EventBus, roots: Roots, template = defaultShareTemplate): Shares {
  const upsertGrant = db.prepare(
    `INSERT INTO grants (vendor, path, can_read, can_write) VALUES (?, ?, ?, ?)
     ON CONFLICT (vendor, path) DO UPDATE SET can_read = excluded.can_read, can_write = excluded.can_write`,
  );
  const grantsOf = (vendor: string): Grant[] =>
    (db.prepare('SELECT * FROM grants WHERE vendor = ? ORDER BY path').all(vendor) as { vendor: string; path: string; can_read: number; can_write: number }[]).map(
      (row) => ({ vendor: row.vendor, path: row.path, read: row.can_read === 1, write: row.can_write === 1 }),
    );
  const getShare = (vendor: string): Share | undefined => {
    const row = db.prepare('SELECT * FROM shares WHERE vendor = ?').get(vendor) as { vendor: string; root: string; volume: string | null } | undefined;
    return row && { vendor: row.vendor, root: row.root, volume: row.volume ?? undefined };
  };

  /** The most specific grant covering a path: one indexed lookup per folder level, whatever the number of grants. */
  const decide = (vendor: string, safe: string): Grant | undefined => {
    const paths = coveringPaths(safe);
    const row = db
      .prepare(`SELECT * FROM grants WHERE vendor = ? AND path IN (${paths.map(() => '?').join(', ')}) ORDER BY length(path) DESC LIMIT 1`)
      .get(vendor, ...paths) as { vendor: string; path: string; can_read: number; can_write: number } | undefined;
    return row && { vendor: row.vendor, path: row.path, read: row.can_read === 1, write: row.can_write === 1 };
  };
  const readable = (vendor: string, safe: string): boolean => decide(vendor, safe)?.read === true;

  return {
    async ensureShare(input) {
      const vendor = requireVendor(input.vendor);
      const root = toSafeRelative(input.root);
      const volumeRoot = findRoot(roots, { kind: 'hq', volume: input.volume });
      if (volumeRoot !== undefined) {
        for (const entry of template) await mkdir(await confinePath(volumeRoot, `${root}/${entry.folder}`), { recursive: true });
      }
      bus.transact(() => {
        db.prepare('INSERT INTO shares (vendor, root, volume) VALUES (?, ?, ?) ON CONFLICT (vendor) DO UPDATE SET root = excluded.root, volume = excluded.volume').run(
          vendor,
          root,
          input.volume ?? null,
        );
        for (const entry of template) upsertGrant.run(vendor, `${root}/${entry.folder}`, entry.read ? 1 : 0, entry.write ? 1 : 0);
      });
      return getShare(vendor) as Share;
    },
    getShare,
    grant(input) {
      const vendor = requireVendor(input.vendor);
      upsertGrant.run(vendor, toSafeRelative(input.path), input.read ? 1 : 0, input.write ? 1 : 0);
    },
    listGrants: (vendor) => grantsOf(vendor),
    allowRead(vendor, path) {
      const safe = toSafeRelative(path);
      if (readable(vendor, safe)) return;
      const exact = db.prepare('SELECT can_write FROM grants WHERE vendor = ? AND path = ?').get(requireVendor(vendor), safe) as { can_write: number } | undefined;
      upsertGrant.run(vendor, safe, 1, exact?.can_write ?? 0);
    },
    checkAccess(vendor, path, mode) {
      const safe = toSafeRelative(path);
      const best = decide(vendor, safe);
      if (!best || !best[mode]) {
        throw new HandoffError('TRANSFER_ACCESS_DENIED', `Vendor ${vendor} may not ${mode} ${safe}`, {
          details: { vendor, path: safe, mode, grant: best?.path },
          hint: best ? `The grant on ${best.path} does not allow ${mode}; grant it if intended.` : 'The path is outside every grant of this vendor; grant the folder first.',
        });
      }
    },
  };
}
