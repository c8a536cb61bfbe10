/**
 * The Tracker seam's errors, shared by every implementation so a caller sees the
 * same code and the same kind of message whichever tracker answers.
 */
import { HandoffError } from '../core/errors.ts';

export function taskNotFound(id: string): HandoffError {
  return new HandoffError('TRACKER_TASK_NOT_FOUND', `No task with id ${JSON.stringify(id)}`, {
    details: { taskId: id },
    hint: 'Check the selection: the task may have been deleted, or the id is of a shot or project.',
  });
}

export function taskAmbiguous(query: object, candidates: string[][]): HandoffError {
  const names = candidates.map((path) => path.join('/'));
  return new HandoffError('TRACKER_TASK_AMBIGUOUS', `Several tasks match: ${names.join(', ')}`, {
    details: { query, candidates: names },
    hint: 'Name the sequence too, so only one shot matches.',
  });
}

export function statusUnknown(name: string, valid: string[]): HandoffError {
  return new HandoffError('TRACKER_STATUS_UNKNOWN', `Unknown status ${JSON.stringify(name)}; valid statuses: ${valid.join(', ')}`, {
    details: { status: name, valid },
    hint: 'Use one of the listed status names, spelled exactly as in the tracker.',
  });
}

export function userNotFound(id: string): HandoffError {
  return new HandoffError('TRACKER_USER_NOT_FOUND', `No user with id ${JSON.stringify(id)}`, {
    details: { userId: id },
    hint: 'Use the id of an active tracker user (look it up with getUser by username or email).',
  });
}

export function versionExists(asset: string, version: number): HandoffError {
  return new HandoffError('TRACKER_VERSION_EXISTS', `Version ${version} of ${asset} already exists`, {
    details: { asset, version },
    hint: 'Publish as the next free number (omit `version`) or rename the result folder to the next version.',
  });
}

export function idempotencyConflict(key: string, first: object, now: object): HandoffError {
  return new HandoffError(
    'TRACKER_IDEMPOTENCY_CONFLICT',
    `Publish key ${JSON.stringify(key)} was already used for another task or asset`,
    { details: { key, first, now }, hint: 'Derive the key from the task, asset and upload so each publish has its own.' },
  );
}

export function fileNotFound(what: string, path: string, cause: unknown): HandoffError {
  return new HandoffError('TRACKER_FILE_NOT_FOUND', `The ${what} file ${path} cannot be read`, {
    cause,
    details: { path, what },
    hint: 'Make the file before publishing (the publish extractors write it) or leave the field out.',
  });
}

export function invalidRequest(problems: string[]): HandoffError {
  return new HandoffError('TRACKER_REQUEST_INVALID', `Invalid tracker request:\n  ${problems.join('\n  ')}`, {
    details: { problems },
    hint: 'Fix the listed fields of the request.',
  });
}

export function optionMissing(factory: string, option: string): HandoffError {
  return new HandoffError('TRACKER_OPTION_MISSING', `${factory} needs the option ${JSON.stringify(option)}`, {
    details: { factory, option },
    hint: `Pass ${option} when creating the tracker.`,
  });
}

export function capabilityMissing(tracker: string, capability: string): HandoffError {
  return new HandoffError('TRACKER_CAPABILITY_MISSING', `The ${tracker} tracker does not offer ${capability}`, {
    details: { tracker, capability },
    hint: 'Check `tracker.features` first and fall back when a capability is absent.',
  });
}

export function versionNotFound(id: string): HandoffError {
  return new HandoffError('TRACKER_VERSION_NOT_FOUND', `No version with id ${JSON.stringify(id)}`, {
    details: { versionId: id },
    hint: 'Use the id publishVersion or listVersions returned.',
  });
}
