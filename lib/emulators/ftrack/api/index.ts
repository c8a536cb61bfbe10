/** POST /api: the batch dispatcher, its actions, and the upload targets and file bytes they use. */
export { ApiDispatcher, type ApiResponse, type DispatcherOptions } from './dispatch.ts';
export { BlobStore } from './blobs.ts';
export { UploadTargets, mimeOf, type PutOutcome } from './uploads.ts';
export type { ApiContext, EntityChange, Operation } from './context.ts';
