/**
 * The action runtime: turns action definitions into the ActionHandler a tracker's
 * channel serves. It answers discover fast (each action under a timeout), routes
 * launches by identifier, round-trips forms, runs queued work in the background
 * with progress on a tracker job, and turns failures into messages for people.
 */
import { HandoffError, toHandoffError } from '../core/errors.ts';
import { openToStudio, type ActionAccess } from './access.ts';
import type { ActionHandler, ActionItem, DiscoverRequest, LaunchRequest, LaunchResponse, Tracker, User } from '../tracker/types.ts';
import { defineAction, type ActionDefinition, type ActionResult, type ActionServices, type ActionVariant, type DiscoverContext } from './define-action.ts';
import { failureText, runQueuedWork } from './queued-work.ts';

export type ActionLogEvent =
  | { type: 'discover-timeout'; actionId: string; ms: number; error: HandoffError }
  | { type: 'discover-failed'; actionId: string; error: HandoffError }
  | { type: 'launch-failed'; actionId: string; error: HandoffError }
  | { type: 'launch-denied'; actionId: string; error: HandoffError }
  | { type: 'work-failed'; actionId: string; error: HandoffError };

export interface ActionRuntimeOptions<S = ActionServices> {
  tracker: Tracker;
  actions: ActionDefinition<S>[];
  services: S;
  /** How long one action's discover (with its variants) may take; default 2000 ms. */
  discoverTimeoutMs?: number | undefined;
  /** Who may launch which action (createActionAccess); default: every studio user, never a made-up one. */
  access?: ActionAccess | undefined;
  /** Where failures are recorded; default: one line on stderr. */
  log?: ((event: ActionLogEvent) => void) | undefined;
}

export interface ActionRuntime extends ActionHandler {
  /** Resolves when all queued work started so far has ended. */
  idle(): Promise<void>;
  /** Aborts queued work and waits for it to end. */
  close(): Promise<void>;
}

const defaultLog = (event: ActionLogEvent) => {
  console.warn(`[actions] ${event.type} ${event.actionId}: ${event.error.code} ${event.error.message}`);
};

export function createActionRuntime<S = ActionServices>(options: ActionRuntimeOptions<S>): ActionRuntime {
  for (const name of ['tracker', 'actions', 'services'] as const) {
    if (!options?.[name]) {
      throw new HandoffError('ACTION_OPTION_MISSING', `createActionRuntime needs the option ${JSON.stringify(name)}`, {
        details: { option: name },
        hint: 'Pass { tracker, actions, services } (services may be an empty object).',
      });
    }
  }
  const { tracker, services } = options;
  const timeoutMs = options.discoverTimeoutMs ?? 2000;
  const log = options.log ?? defaultLog;
  const access = options.access ?? openToStudio;
  const byId = new Map<string, ActionDefinition<S>>();
  for (const action of options.actions.map((a) => defineAction(a))) {
    if (byId.has(action.id)) {
      throw new HandoffError('ACTION_DUPLICATE', `Two actions have the id ${JSON.stringify(action.id)}`, {
        details: { id: action.id },
        hint: 'Give each action folder its own id.',
      });
    }
    byId.set(action.id, action);
  }
  const pending = new Set<Promise<void>>();
  const stop = new AbortController();

  async function variantsOf(action: ActionDefinition<S>, ctx: DiscoverContext<S>): Promise<ActionVariant[] | undefined> {
    if (!action.variants) return undefined;
    return typeof action.variants === 'function' ? await action.variants(ctx) : action.variants;
  }

  async function offer(action: ActionDefinition<S>, ctx: DiscoverContext<S>): Promise<ActionItem[]> {
    if (!(await action.discover(ctx))) return [];
    const base = { label: action.label, description: action.description, icon: action.icon };
    const variants = await variantsOf(action, ctx);
    if (!variants) return [{ ...base, actionIdentifier: action.id }];
    return variants.map((v) => ({
      ...base,
      actionIdentifier: `${action.id}:${v.id}`,
      variant: v.label,
      description: v.description ?? action.description,
    }));
  }

  async function discoverOne(action: ActionDefinition<S>, ctx: DiscoverContext<S>): Promise<ActionItem[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const work = Promise.resolve().then(() => offer(action, ctx));
    try {
      const result = await Promise.race([work, timeout]);
      if (result !== 'timeout') return result;
      work.catch(() => undefined);
      const error = new HandoffError('ACTION_DISCOVER_TIMEOUT', `Action ${action.id} took over ${timeoutMs} ms to discover and was left out`, {
        retryable: true,
        details: { actionId: action.id, timeoutMs },
        hint: 'Make discover decide from the selection alone; do slow lookups in launch.',
      });
      log({ type: 'discover-timeout', actionId: action.id, ms: timeoutMs, error });
      return [];
    } catch (err) {
      log({ type: 'discover-failed', actionId: action.id, error: toHandoffError(err, 'ACTION_DISCOVER_FAILED') });
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  function reply(action: ActionDefinition<S>, user: User, result: ActionResult): LaunchResponse {
    if (result.type !== 'queued') return result;
    const run = runQueuedWork({ tracker, user, label: action.label, work: result.work, signal: stop.signal }).catch((err: unknown) =>
      log({ type: 'work-failed', actionId: action.id, error: toHandoffError(err, 'ACTION_FAILED') }),
    );
    pending.add(run);
    void run.finally(() => pending.delete(run));
    return { type: 'message', success: true, message: result.message };
  }

  /** The launching user as the tracker knows them, or the reason to refuse. */
  async function launcher(actionId: string, claimed: User): Promise<User | HandoffError> {
    const by = claimed.id ? { id: claimed.id } : claimed.username ? { username: claimed.username } : undefined;
    const known = by ? await tracker.getUser(by) : undefined;
    if (!known || (claimed.username && known.username !== claimed.username)) {
      const who = claimed.username || claimed.id || '(nobody)';
      return new HandoffError('ACTION_USER_UNKNOWN', `${who} is not a user of the tracker, so ${actionId} was not launched`, {
        details: { actionId, userId: claimed.id, username: claimed.username },
        hint: 'Launch actions from the tracker while logged in as yourself.',
      });
    }
    const verdict = access(actionId, known);
    if (verdict.ok) return known;
    return new HandoffError(verdict.code, verdict.reason, {
      details: { actionId, username: known.username },
      hint: `Ask a coordinator to launch it, or the pipeline team to add you to actions.${actionId}.allow in the config.`,
    });
  }

  return {
    async discover(request: DiscoverRequest) {
      const ctx = { selection: request.selection, user: request.user, tracker, services };
      const allowed = [...byId.values()].filter((action) => access(action.id, request.user).ok);
      const offers = await Promise.all(allowed.map((action) => discoverOne(action, ctx)));
      return offers.flat();
    },

    async launch(request: LaunchRequest) {
      const [id = '', variantId] = request.actionIdentifier.split(':');
      const action = byId.get(id);
      if (!action) return undefined;
      const user = await launcher(id, request.user).catch((err: unknown) => toHandoffError(err, 'ACTION_FAILED'));
      if (user instanceof HandoffError) {
        log({ type: user.code === 'ACTION_FAILED' ? 'launch-failed' : 'launch-denied', actionId: id, error: user });
        return { type: 'message', success: false, message: failureText(action.label, user) };
      }
      const base = { selection: request.selection, user, tracker, services };
      try {
        const variants = await variantsOf(action, base);
        const variant = variantId === undefined ? undefined : variants?.find((v) => v.id === variantId);
        if (variantId !== undefined && !variant) {
          throw new HandoffError('ACTION_VARIANT_UNKNOWN', `${action.label} has no variant ${JSON.stringify(variantId)} any more`, {
            details: { actionId: id, variant: variantId },
            hint: 'Refresh the actions menu and choose again.',
          });
        }
        return reply(action, user, await action.launch({ ...base, variant, values: request.values }));
      } catch (err) {
        const error = toHandoffError(err, 'ACTION_FAILED', { hint: 'Try again; if it keeps failing, tell the pipeline team.' });
        log({ type: 'launch-failed', actionId: id, error });
        return { type: 'message', success: false, message: failureText(action.label, error) };
      }
    },

    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },

    async close() {
      stop.abort();
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
