/** The action runtime's public face: define actions, build forms, serve them on a tracker. */
export {
  defineAction,
  failure,
  message,
  queued,
  type ActionDefinition,
  type ActionResult,
  type ActionServices,
  type ActionVariant,
  type DiscoverContext,
  type LaunchContext,
  type ReportProgress,
} from './define-action.ts';
export { field, form, formValues } from './form.ts';
export { createActionAccess, openToStudio, vendorOfUser, type AccessVerdict, type ActionAccess, type ActionAccessOptions, type ActionAllow, type VendorPeople } from './access.ts';
export { createActionRuntime, type ActionLogEvent, type ActionRuntime, type ActionRuntimeOptions } from './runtime.ts';
export { failureText } from './queued-work.ts';
export { builtinActionsDir, loadActions } from './load.ts';
