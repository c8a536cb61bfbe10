export { lifecycle, isLifecycle, type Lifecycle } from './lifecycle.ts';
export { defineHook, type Hook, type ModuleHook, type CommandHook, type HookContext, type HookServices } from './define-hook.ts';
export { jobHookPayload, type JobHookPayload, type HookPayloads, type ResolveAbsolute } from './payload.ts';
export { runHook, type HookRunResult } from './run-hook.ts';
export { createHookRuntime, assertSubmitAllowed, type HookRuntime } from './runtime.ts';
export { builtinHooksDir, loadHooks, type HookConfigEntry } from './load.ts';
export { runJobHooks } from './attach.ts';
