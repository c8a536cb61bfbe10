/** Converts file-system errors of the local transport into HandoffErrors. */
import { HandoffError, isHandoffError } from '../../core/errors.ts';

export function toTransferError(err: unknown, file: string): HandoffError {
  if (isHandoffError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const details = { file, errno: code };
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new HandoffError('TRANSFER_DISK_FULL', `No space left on the destination while writing ${file}`, {
      cause: err,
      retryable: true,
      details,
      hint: 'Free space on the destination volume; the task resumes by itself from the chunks already written.',
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new HandoffError('TRANSFER_PERMISSION_DENIED', `Permission denied on ${file}`, {
      cause: err,
      details,
      hint: 'Give the handoff user read access to the source and write access to the destination folder, then retry.',
    });
  }
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') {
    return new HandoffError('TRANSFER_DESTINATION_CONFLICT', `${file} cannot be written: a folder and a file would share its path`, {
      cause: err,
      details,
      hint: 'Rename or remove what is in the way at the destination, then retry the task.',
    });
  }
  if (code === 'ENAMETOOLONG') {
    return new HandoffError('TRANSFER_NAME_TOO_LONG', `${file} has a name too long for the destination's file system`, {
      cause: err,
      details,
      hint: 'Shorten the file or folder name at the source (most file systems allow 255 bytes per name), then retry the task.',
    });
  }
  if (code === 'ENOENT') {
    return new HandoffError('TRANSFER_SOURCE_MISSING', `${file} disappeared during the transfer`, {
      cause: err,
      details,
      hint: 'Put the file back and retry the task.',
    });
  }
  return new HandoffError('TRANSFER_IO_FAILED', `Reading or writing ${file} failed: ${(err as Error).message}`, {
    cause: err,
    retryable: true,
    details,
    hint: 'Check the storage; the task retries by itself.',
  });
}

/** A party's root folder must exist (a mount can be offline); waiting may help. */
export function rootOffline(root: string, cause: unknown): HandoffError {
  return new HandoffError('TRANSFER_ROOT_OFFLINE', `The storage root ${root} is not reachable`, {
    cause,
    retryable: true,
    details: { root },
    hint: 'Mount the volume or create the folder; the task retries by itself.',
  });
}
