/**
 * Who may launch an action. The runtime first looks the launching user up in
 * the tracker (an event's word is not enough), then asks this check: a vendor's
 * people never may; an action with an `allow` list is open to the listed
 * tracker groups and users only; any other action is open to every studio user.
 */
import type { User } from '../tracker/types.ts';

export interface ActionAllow {
  /** Tracker group names, e.g. `Coordinators` (any case). */
  groups?: readonly string[] | undefined;
  /** Tracker usernames or emails (any case). */
  users?: readonly string[] | undefined;
}

/** A vendor's people as the tracker knows them. */
export interface VendorPeople {
  code: string;
  users: readonly string[];
  groups: readonly string[];
}

export interface ActionAccessOptions {
  /** Per action id; an action not listed is open to every user who is not a vendor's. */
  allow?: Readonly<Record<string, ActionAllow | undefined>> | undefined;
  vendors?: readonly VendorPeople[] | undefined;
}

export type AccessVerdict = { ok: true } | { ok: false; code: 'ACTION_VENDOR_USER_DENIED' | 'ACTION_USER_DENIED'; reason: string };

/** Decides for a user the tracker vouched for; the runtime calls it on every discover and launch. */
export type ActionAccess = (actionId: string, user: User) => AccessVerdict;

const lower = (list: readonly string[] | undefined): Set<string> => new Set((list ?? []).map((s) => s.toLowerCase()));

function names(user: User): string[] {
  return [user.username, ...(user.email ? [user.email] : [])].map((s) => s.toLowerCase());
}

/** The vendor whose people include `user`, if any (by username, email or tracker group). */
export function vendorOfUser(vendors: readonly VendorPeople[], user: User): string | undefined {
  const groups = user.groups.map((g) => g.toLowerCase());
  return vendors.find((v) => {
    const users = lower(v.users);
    const vendorGroups = lower(v.groups);
    return names(user).some((n) => users.has(n)) || groups.some((g) => vendorGroups.has(g));
  })?.code;
}

export function createActionAccess(options: ActionAccessOptions = {}): ActionAccess {
  const vendors = options.vendors ?? [];
  return (actionId, user) => {
    const vendor = vendorOfUser(vendors, user);
    if (vendor) {
      return { ok: false, code: 'ACTION_VENDOR_USER_DENIED', reason: `${user.username} is one of vendor ${vendor}'s people; vendors may not launch studio actions` };
    }
    const allow = options.allow?.[actionId];
    if (!allow) return { ok: true };
    const users = lower(allow.users);
    const groups = lower(allow.groups);
    if (names(user).some((n) => users.has(n)) || user.groups.some((g) => groups.has(g.toLowerCase()))) return { ok: true };
    return { ok: false, code: 'ACTION_USER_DENIED', reason: `${user.username} may not launch ${actionId}: it is open to ${describe(allow)} only` };
  };
}

function describe(allow: ActionAllow): string {
  const parts = [...(allow.groups?.length ? [`the groups ${allow.groups.join(', ')}`] : []), ...(allow.users?.length ? [`the users ${allow.users.join(', ')}`] : [])];
  return parts.join(' and ') || 'nobody';
}

/** Everyone the tracker knows who is not a vendor's: the default when no config is given. */
export const openToStudio: ActionAccess = createActionAccess();
