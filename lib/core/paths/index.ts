/**
 * Path safety: every path that comes from outside (a vendor, a config file, the
 * other end of a transfer) goes through here before it touches a disk.
 */
export { checkRelative, hasControlCharacter, joinSafeName, toSafeRelative, MAX_PATH_BYTES, MAX_SEGMENT_BYTES } from './safe-relative.ts';
export type { RelativeCheck, UnsafeReason } from './safe-relative.ts';
export { confinePath, isInside, realRootOf } from './confine.ts';
export { walkTree } from './walk.ts';
export type { WalkEntry, WalkOptions } from './walk.ts';
