/**
 * Vendor publish: pre-publish verdicts at HQ on a dropped folder tree, the
 * vendor's upload as a transfer job, and the publish the job-post-done hook
 * runs when it has landed. Flow and verdicts: docs/publish.md.
 */
export { assetName, folderOf, FOLDER_FAMILY, identOf, isAssignedToVendor, LOOSE_FILE_FAMILY, vendorPublishOf } from './folder-data.ts';
export type { FolderData, FolderFile, VendorPublishData } from './folder-data.ts';
export { fillPathTemplate, vendorHomeOf } from './paths.ts';
export { DEFAULT_VENDOR_STATUSES, prepublish, prepublishPlan } from './prepublish.ts';
export type { PrepublishServices } from './prepublish.ts';
export { checkRequest, isVendorPerson, resolveAuthor, resolveVendorAuthor } from './request.ts';
export { buildTree, flattenFolder, groupByFolder, unsafeName } from './tree.ts';
export * from './types.ts';
export { verdictsOf } from './verdicts.ts';
export { vendorPublishServices } from './hook.ts';
export type { VendorPublishServices } from './hook.ts';
export { landedFiles, mainSequence } from './landed.ts';
export { publishLandedJob, publishMetadataOf, publishPlanAfterUpload } from './publish-landed.ts';
export type { FolderPublishResult, LandedJobResult, PublishServices } from './publish-landed.ts';
export { completeFields, formatTimeSpent, missingFields, parseTimeSpent } from './fields.ts';
export { publishJobName, submitPublish } from './upload.ts';
export type { SubmitPublishOptions, SubmittedPublish } from './upload.ts';
export { builtinPrepublishService, localPrepublishService, prepublishHooksFromConfig, prepublishServiceFromConfig, publishPlanFromConfig } from './from-config.ts';
export type { ConfiguredPrepublish, PrepublishService, PrepublishSetup } from './from-config.ts';
export { applyPublishConfig, vendorFromConfig, vendorStatuses } from './config.ts';
export { applyPrepublishHooks } from './pre-hooks.ts';
export { attachMediaFacts, mediaDifferences, mediaFactsOf, readFrameFacts, readMediaFacts, sequenceFrames } from './media-facts.ts';
export { attachContentHashes, hashFile, isContentHash, shortHash } from './content-hash.ts';
