/**
 * Which vendor a task goes to: the vendor whose tracker users or groups
 * include the task's assignees. None or several means the coordinator picks.
 */
import type { User } from '../tracker/types.ts';
import type { OutsourceSettings, VendorSettings } from './settings.ts';

export interface VendorRef {
  code: string;
  settings: VendorSettings;
}

export function isVendorUser(vendor: VendorSettings, user: User): boolean {
  const names = new Set(vendor.users.map((u) => u.toLowerCase()));
  if (names.has(user.username.toLowerCase()) || (user.email !== undefined && names.has(user.email.toLowerCase()))) return true;
  return user.groups.some((group) => vendor.groups.includes(group));
}

/** Vendors among a task's assignees, in settings order. */
export function vendorsOfAssignees(settings: OutsourceSettings, assignees: readonly User[]): VendorRef[] {
  return Object.entries(settings.vendors)
    .filter(([, vendor]) => assignees.some((user) => isVendorUser(vendor, user)))
    .map(([code, vendor]) => ({ code, settings: vendor }));
}

/** A vendor by code, case-insensitive. */
export function vendorByCode(settings: OutsourceSettings, code: string): VendorRef | undefined {
  const key = Object.keys(settings.vendors).find((c) => c.toLowerCase() === code.toLowerCase());
  return key === undefined ? undefined : { code: key, settings: settings.vendors[key]! };
}

export function vendorChoices(settings: OutsourceSettings): { label: string; value: string }[] {
  return Object.entries(settings.vendors).map(([code, v]) => ({ label: v.name, value: code }));
}
