/**
 * The Outsource flow: selected tracker tasks → task packages (files, description,
 * manifest) → today's delivery job per project and vendor. docs/outsource.md.
 */
export {
  outsourceSettingsSchema,
  parseOutsourceSettings,
  ruleFor,
  volumeOf,
  vendorHome,
  defaultPaths,
  type OutsourceSettings,
  type OutsourceSettingsInput,
  type VendorSettings,
  type SendEntry,
} from './settings.ts';
export { createOutsource, type FinishProgress, type Outsource, type OutsourceOptions, type OutsourceRequest, type OutsourceResult } from './run.ts';
export { createOutbox, type Outbox, type OutboxEntry, type DrainResult } from './outbox.ts';
export { deliver, shareRequest, type DeliveryRequest } from './delivery.ts';
export type { DeliverySummary } from './send.ts';
export type { FinishReport, FinishedTask } from './finish.ts';
export type { PreparedTask, Refusal } from './prepare.ts';
export { builtinDescriptionTemplate, descriptionData, renderDescription } from './description.ts';
export { MANIFEST_FORMAT, type Manifest } from './manifest.ts';
export { collectTask, type Collected, type CollectedSource } from './collect.ts';
export { compileGlobs } from './glob.ts';
export { vendorChoices, vendorsOfAssignees, vendorByCode, type VendorRef } from './vendors.ts';
export { finishMessage, formatBytes, outsourceMessage } from './text.ts';
export { settingsFromConfig } from './from-config.ts';
