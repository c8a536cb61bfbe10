/**
 * Frame sequences: frame sets, padding notations, and grouping file listings
 * into sequences. Rules and notations: docs/sequences.md.
 */
export { FrameSet, MAX_FRAMES } from './frame-set.ts';
export { formatPadding, padFrame, parsePadding } from './padding.ts';
export type { PaddingStyle } from './padding.ts';
export { FileSequence, parseSequence } from './file-sequence.ts';
export { findSequences, splitFrameName } from './detect.ts';
export type { DetectOptions, DetectResult, FrameName, SequenceIssue } from './detect.ts';
