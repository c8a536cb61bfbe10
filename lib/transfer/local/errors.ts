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
