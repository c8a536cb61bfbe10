/**
 * Media: probing, thumbnails and review movies, driving ffmpeg (through a
 * typed argument builder) and sharp. Publish plugins and pre-publish use this.
 */
export { BURN_IN_FONT, burnInFilters, escapeDrawtext } from './burn-in.ts';
export type { BurnIns } from './burn-in.ts';
export * from './ffmpeg/index.ts';
export { checkFrames, framePath, framesOnDisk, isSequencePattern, parseSequencePattern, printfPattern } from './frames.ts';
export type { FrameCheck, SequencePattern } from './frames.ts';
export { fitWithin } from './geometry.ts';
export type { Size } from './geometry.ts';
export * from './probe/index.ts';
export { makeReviewMovie, planReviewMovie, verifyFrameCount } from './review-movie.ts';
export type { ReviewJob, ReviewMovie, ReviewMovieOptions, ReviewProgress } from './review-movie.ts';
export { makeThumbnail } from './thumbnail.ts';
export type { Thumbnail, ThumbnailOptions } from './thumbnail.ts';
