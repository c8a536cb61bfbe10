import type { HookCommand } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import { isLifecycle, lifecycle, type Lifecycle } from './lifecycle.ts';
import type { HookPayloads } from './payload.ts';

/** What the server hands its hooks (the tracker, the vendor-publish services …), by name. */
export type HookServices = Record<string, unknown>;

export interface HookContext<S = HookServices> {
  /** Aborted when the hook's timeout passes or the server shuts down. */
  signal: AbortSignal;
  log(message: string): void;
  /** The services of whoever runs the hook; a hook checks for the ones it needs, as actions do. */
  services: Partial<S>;
}

/** A hook written as a TypeScript (or .mjs) module with `export default defineHook({...})`. */
export interface ModuleHook<L extends Lifecycle = Lifecycle, S = HookServices> {
  kind: 'module';
  on: L;
  name: string;
  timeoutMs?: number | undefined;
  handler(input: HookPayloads[L], context: HookContext<S>): unknown;
}

/**
 * A hook written as a command line, as studios already write them:
 * `python3 /pipeline/on_done.py ${PATH_JSON_INPUT}`. The input JSON is written
 * to a temp file whose path replaces `${PATH_JSON_INPUT}`; a command that
 * answers (publish.pre) writes JSON to `${PATH_JSON_OUTPUT}`.
 */
export interface CommandHook {
  kind: 'command';
  on: Lifecycle;
  name: string;
  /** A line, `[program, arg, …]`, or either per OS (lib/hooks/command-line.ts). */
  command: HookCommand;
  timeoutMs?: number | undefined;
  cwd?: string | undefined;
  env?: Record<string, string> | undefined;
}

export type Hook = ModuleHook | CommandHook;

export const defaultHookTimeoutMs = 5 * 60_000;

export function assertLifecycle(on: string, where: string): asserts on is Lifecycle {
  if (!isLifecycle(on)) {
    throw new HandoffError('HOOK_UNKNOWN_LIFECYCLE', `${where}: unknown hook moment ${JSON.stringify(on)}`, {
      details: { on, where, known: [...lifecycle] },
      hint: `Use one of: ${lifecycle.join(', ')}.`,
    });
  }
}

export function defineHook<L extends Lifecycle, S = HookServices>(definition: Omit<ModuleHook<L, S>, 'kind'>): ModuleHook<L, S> {
  assertLifecycle(definition.on, `hook ${definition.name}`);
  if (typeof definition.handler !== 'function') {
    throw new HandoffError('HOOK_INVALID', `hook ${definition.name}: handler must be a function`, {
      hint: 'Export `defineHook({ on, name, handler })` as the module default.',
    });
  }
  return { kind: 'module', ...definition };
}
