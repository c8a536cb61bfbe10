/** Checks of what a vendor sends, all problems at once, before any plugin runs. */
import { HandoffError } from '../core/errors.ts';
import type { Tracker, User } from '../tracker/types.ts';
import type { PrepublishRequest, VendorInfo } from './types.ts';

const MAX_ENTRIES = 10_000;

export function checkRequest(request: PrepublishRequest): void {
  const problems: string[] = [];
  const r = (request ?? {}) as Partial<PrepublishRequest>;
  if (!r.vendor || typeof r.vendor.code !== 'string' || !r.vendor.code) problems.push('vendor.code: required');
  else if (!Array.isArray(r.vendor.users)) problems.push('vendor.users: must be a list of usernames or emails');
  if (typeof r.user !== 'string' || !r.user) problems.push('user: required (the username or email of the person publishing)');
  if (!Array.isArray(r.files)) problems.push('files: must be a list of folders');
  else {
    if (r.files.length === 0) problems.push('files: nothing to publish; drop at least one folder');
    if (r.files.length > MAX_ENTRIES) problems.push(`files: more than ${MAX_ENTRIES} top-level entries`);
    r.files.forEach((entry, i) => {
      if (typeof entry?.filename !== 'string') problems.push(`files.${i}.filename: required`);
      if (typeof entry?.is_dir !== 'boolean') problems.push(`files.${i}.is_dir: must be true or false`);
    });
  }
  if (problems.length) {
    throw new HandoffError('PUBLISH_REQUEST_INVALID', `The publish request is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      hint: 'Send the vendor, the user and the dropped folders as a tree (docs/publish.md).',
      details: { problems },
    });
  }
}

/** The tracker user publishing, by username or email; PUBLISH_USER_NOT_FOUND when neither matches. */
export async function resolveAuthor(tracker: Tracker, user: string): Promise<User> {
  const found = (await tracker.getUser({ username: user })) ?? (user.includes('@') ? await tracker.getUser({ email: user }) : undefined);
  if (!found) {
    throw new HandoffError('PUBLISH_USER_NOT_FOUND', `${user} is not a user of the tracker`, {
      hint: 'Publish as the tracker user the studio set up for you (usually your email), or ask the coordinator to add you.',
      details: { user },
    });
  }
  return found;
}

/** Whether the tracker user is one of the vendor's people: listed in its users, or in its tracker group. */
export function isVendorPerson(vendor: VendorInfo, user: User): boolean {
  const people = new Set(vendor.users.map((u) => u.toLowerCase()));
  if (people.has(user.username.toLowerCase()) || (user.email !== undefined && people.has(user.email.toLowerCase()))) return true;
  const group = vendor.group?.toLowerCase();
  return group !== undefined && user.groups.some((g) => g.toLowerCase() === group);
}

/**
 * The author of a vendor publish: a tracker user (PUBLISH_USER_NOT_FOUND) who is one of the
 * vendor's people (PUBLISH_AUTHOR_DENIED): a vendor cannot credit its work to anyone else.
 */
export async function resolveVendorAuthor(tracker: Tracker, vendor: VendorInfo, user: string): Promise<User> {
  const found = await resolveAuthor(tracker, user);
  if (!isVendorPerson(vendor, found)) {
    throw new HandoffError('PUBLISH_AUTHOR_DENIED', `${user} is not one of vendor ${vendor.code}'s people, so cannot be named as the author of its publish`, {
      hint: `Publish as yourself: a user listed in vendors.${vendor.code}.users at HQ${vendor.group ? ` or a member of the tracker group ${vendor.group}` : ''}.`,
      details: { user, vendor: vendor.code },
    });
  }
  return found;
}
