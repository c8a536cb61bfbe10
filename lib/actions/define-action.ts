/**
 * What a tracker action is: one file, `actions/<name>/action.ts`, default-exporting
 * `defineAction({...})`. It works on any tracker: the runtime serves it on the
 * tracker's own channel.
 */
import { HandoffError } from '../core/errors.ts';
import type { FormItem, SelectionItem, Tracker, User } from '../tracker/types.ts';

/** The open bag of things actions use (the transfer adapter, config ...). */
export type ActionServices = Record<string, unknown>;

export interface ActionVariant {
  /** Stable id, part of the action identifier: `<action id>:<variant id>`. */
  id: string;
  /** Shown beside the label, e.g. the vendor name. */
  label: string;
  description?: string | undefined;
}

export interface DiscoverContext<S = ActionServices> {
  selection: SelectionItem[];
  user: User;
  tracker: Tracker;
  services: S;
}

export interface LaunchContext<S = ActionServices> extends DiscoverContext<S> {
  /** The variant the coordinator chose, when the action has variants. */
  variant: ActionVariant | undefined;
  /** Values of the submitted form; undefined on the first launch. */
  values: Record<string, unknown> | undefined;
}

/** Progress of queued work; shown on the tracker job when the tracker offers jobs. */
export type ReportProgress = (progress: { fraction?: number; description?: string }) => Promise<void>;

export type ActionResult =
  | { type: 'message'; success: boolean; message: string }
  | { type: 'form'; title: string; items: FormItem[]; submitButtonLabel?: string | undefined }
  | {
      type: 'queued';
      /** The immediate reply, e.g. "Outsourcing 3 tasks". */
      message: string;
      /** The long work; its resolved text (or a default) is shown to the user when it ends. */
      work: (report: ReportProgress, signal: AbortSignal) => Promise<string | void>;
    };

export interface ActionDefinition<S = ActionServices> {
  /** Lower-case, dot or dash separated, e.g. `task-info`; unique among served actions. */
  id: string;
  label: string;
  description?: string | undefined;
  icon?: string | undefined;
  /** One entry per offered variant (fixed, or computed for the selection). */
  variants?: ActionVariant[] | ((ctx: DiscoverContext<S>) => ActionVariant[] | Promise<ActionVariant[]>) | undefined;
  /** Whether the action is offered for this selection. Keep it fast: it runs under a timeout. */
  discover(ctx: DiscoverContext<S>): boolean | Promise<boolean>;
  launch(ctx: LaunchContext<S>): ActionResult | Promise<ActionResult>;
}

const ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

export function defineAction<S = ActionServices>(definition: ActionDefinition<S>): ActionDefinition<S> {
  const problems: string[] = [];
  if (typeof definition.id !== 'string' || !ID.test(definition.id)) problems.push('id: lower-case words joined by "." or "-"');
  if (typeof definition.label !== 'string' || !definition.label.trim()) problems.push('label: required');
  if (typeof definition.discover !== 'function') problems.push('discover: must be a function');
  if (typeof definition.launch !== 'function') problems.push('launch: must be a function');
  if (Array.isArray(definition.variants)) {
    definition.variants.forEach((v, i) => {
      if (!ID.test(v.id)) problems.push(`variants.${i}.id: lower-case words joined by "." or "-"`);
    });
  }
  if (problems.length) {
    throw new HandoffError('ACTION_INVALID', `Action ${JSON.stringify(definition.id)} is invalid:\n  ${problems.join('\n  ')}`, {
      details: { id: definition.id, problems },
      hint: 'Fix the listed fields of defineAction({ id, label, discover, launch }).',
    });
  }
  return definition;
}

/** Result helpers, so an action reads `return message('Done')`. */
export const message = (text: string): ActionResult => ({ type: 'message', success: true, message: text });
export const failure = (text: string): ActionResult => ({ type: 'message', success: false, message: text });
export const queued = (text: string, work: Extract<ActionResult, { type: 'queued' }>['work']): ActionResult => ({
  type: 'queued',
  message: text,
  work,
});
