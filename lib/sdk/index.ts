/**
 * `handoff/sdk`: everything a TD file needs — actions, hooks, publish plugins — from one
 * import. The files under actions/, hooks/ and publish-templates/ import nothing else from
 * handoff, and neither need a studio's own folders (`import { … } from 'handoff/sdk'`).
 */

// Errors: one class with stable codes; validators throw PublishValidationError instead.
export { HandoffError, isHandoffError } from '../core/errors.ts';

// Actions: `export default defineAction({ id, label, discover, launch })`.
export { defineAction, failure, field, form, formValues, message, queued } from '../actions/index.ts';
export type { ActionDefinition, ActionResult, ActionServices, ActionVariant, DiscoverContext, LaunchContext, ReportProgress } from '../actions/index.ts';

// Hooks: `export default defineHook({ on, name, handler })`.
export { defineHook, lifecycle } from '../hooks/index.ts';
export type { HookContext, HookPayloads, JobHookPayload, Lifecycle } from '../hooks/index.ts';

// Publish plugins: `export default definePublishPlugin({ id, order, label, process })`.
export { bandOf, definePublishPlugin, isPublishValidationError, Order, PublishValidationError, trackerOf, z } from '../publish/index.ts';
export type { DataKey, InstanceData, ProcessArgs, PublishContext, PublishInstance, PublishLog, PublishPlugin, PublishServices } from '../publish/index.ts';

// Vendor folders: what pre-publish collects from a vendor's tree and publish integrates.
export {
  assetName, fillPathTemplate, flattenFolder, folderOf, FOLDER_FAMILY, groupByFolder, isAssignedToVendor, LOOSE_FILE_FAMILY,
  mainSequence, mediaFactsOf, resolveAuthor, unsafeName, vendorHomeOf, vendorPublishOf,
} from '../vendor-publish/index.ts';
export type { FolderData, FolderFile, MediaFacts, VendorPublishData } from '../vendor-publish/index.ts';

// Names, frames and paths.
export { compileTemplate } from '../core/naming/index.ts';
export type { NamingTemplate } from '../core/naming/index.ts';
export { findSequences, FileSequence, FrameSet } from '../core/sequences/index.ts';
export { confinePath, toSafeRelative } from '../core/paths/index.ts';
export { parseSequencePattern, printfPattern, probeImage } from '../media/index.ts';
export type { ImageFormat, MediaInfo } from '../media/index.ts';

// The tracker as plugins see it.
export type {
  ComponentSpec, FrameRange, Note, ProjectInfo, PublishedVersion, PublishRequest, Resolution, ReviewableSpec, Status, TaskContext,
  TimeLogEntry, Tracker, User, VersionInfo,
} from '../tracker/index.ts';

// The flows the built-in action and hook drive.
export { finishMessage, outsourceMessage } from '../outsource/index.ts';
export type { Outsource } from '../outsource/index.ts';
export { publishLandedJob, publishMetadataOf, vendorPublishServices } from '../vendor-publish/index.ts';
export type { LandedJobResult, VendorPublishServices } from '../vendor-publish/index.ts';
