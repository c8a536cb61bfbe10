/** Checks of what a vendor sends, all problems at once, before any plugin runs. */
import { HandoffError } from '../core/errors.ts';
import type { Tracker, User } from '../tracker/types.ts';
import type { PrepublishRequest } from './types.ts';

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
