import { HandoffError } from '../core/errors.ts';
import type { Hook, HookServices } from './define-hook.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { HookPayloads } from './payload.ts';
import { runHook, type HookRunResult } from './run-hook.ts';

export interface HookRuntime {
  /** Hooks registered for a moment, in the order they run. */
  list(on?: Lifecycle): Hook[];
  /**
   * Runs every hook registered for `on`, one after another, and returns their
   * results. `job.pre-submit` stops at the first failure; elsewhere each hook
   * runs whatever the one before did. Never throws.
   */
  run<L extends Lifecycle>(on: L, input: HookPayloads[L], signal?: AbortSignal): Promise<HookRunResult[]>;
}

export interface HookRuntimeOptions {
  hooks: Hook[];
  /** Handed to module hooks as `context.services`. */
  services?: HookServices | undefined;
  /** Called with each result as it is known, to record it on the job and in the log. */
  onResult?: ((result: HookRunResult) => void) | undefined;
}

export function createHookRuntime(options: HookRuntimeOptions): HookRuntime {
  const hooks = [...options.hooks];
  const names = new Set<string>();
  for (const hook of hooks) {
    const key = `${hook.on}:${hook.name}`;
    if (names.has(key)) {
      throw new HandoffError('HOOK_DUPLICATE', `Two hooks named ${hook.name} run at ${hook.on}`, {
        hint: 'Give each hook a distinct name, or remove one of them from the config.',
      });
    }
    names.add(key);
  }
  return {
    list: (on) => hooks.filter((hook) => on === undefined || hook.on === on),
    async run(on, input, signal) {
      const results: HookRunResult[] = [];
      for (const hook of hooks.filter((h) => h.on === on)) {
        const result = await runHook(hook, input, signal, options.services);
        results.push(result);
        options.onResult?.(result);
        if (!result.ok && on === 'job.pre-submit') break;
      }
      return results;
    },
  };
}

/** Throws HOOK_REFUSED when a pre-submit hook failed, with its message. */
export function assertSubmitAllowed(results: HookRunResult[]): void {
  const refusal = results.find((r) => !r.ok);
  if (refusal && !refusal.ok) {
    throw new HandoffError('HOOK_REFUSED', `Hook ${refusal.hook} refused the submission: ${refusal.error.message}`, {
      details: { hook: refusal.hook, log: refusal.log },
      hint: 'Read the hook message; fix what it asks for and submit again.',
    });
  }
}
