/**
 * Runs a publish plan. Every Collect and Validate plugin runs and reports;
 * once anything has failed, nothing from the Extract band on runs. Each run
 * of a plugin (per instance when it declares `appliesTo`) leaves a result.
 */
import { isHandoffError } from '../core/errors.ts';
import type { PlanEntry, PublishPlan } from './plan.ts';
import { HALT_BEFORE_ORDER, isPublishValidationError } from './plugin.ts';
import type { PublishContext, PublishInstance, PublishLog } from './plugin.ts';

export type PluginStatus = 'ok' | 'warning' | 'error' | 'skipped';

export interface PluginMessage {
  level: 'info' | 'warning' | 'error';
  message: string;
  title?: string | undefined;
  hint?: string | undefined;
  path?: string | undefined;
  /** Error code when a HandoffError ended the plugin. */
  code?: string | undefined;
}

export interface PluginResult {
  pluginId: string;
  label: string;
  order: number;
  source: string;
  instanceId: string | undefined;
  status: PluginStatus;
  messages: PluginMessage[];
  durationMs: number;
}

export interface PublishReport {
  ok: boolean;
  /** Set when the run stopped before the Extract band because something failed. */
  halted: { beforePlugin: string; failed: string[] } | undefined;
  results: PluginResult[];
}

function matches(entry: PlanEntry, instance: PublishInstance): boolean {
  return entry.appliesTo?.some((family) => family === '*' || family === instance.family) ?? false;
}

function errorMessage(err: unknown): PluginMessage {
  if (isPublishValidationError(err)) return { level: 'error', message: err.message, title: err.title, hint: err.hint, path: err.path };
  if (isHandoffError(err)) return { level: 'error', message: err.message, code: err.code, hint: err.hint };
  return { level: 'error', message: err instanceof Error ? err.message : String(err) };
}

async function runOnce(entry: PlanEntry, context: PublishContext, instance: PublishInstance | undefined): Promise<PluginResult> {
  const messages: PluginMessage[] = [];
  const prefix = `[${entry.id}${instance ? ` ${instance.name}` : ''}]`;
  const log: PublishLog = {
    info: (message) => {
      messages.push({ level: 'info', message });
      context.services.log.info(`${prefix} ${message}`);
    },
    warn: (message) => {
      messages.push({ level: 'warning', message });
      context.services.log.warn(`${prefix} ${message}`);
    },
  };
  const started = performance.now();
  let status: PluginStatus = 'ok';
  const lacking = instance ? (entry.plugin.needs ?? []).filter((key) => (instance.data as Record<string, unknown>)[key] === undefined) : [];
  if (lacking.length) {
    // The plan saw a writer, but it wrote nothing for this instance: a fault to show, not to pass over.
    const message = `${entry.id} needs ${lacking.map((k) => `data.${k}`).join(', ')} on ${instance?.name}, and no earlier plugin set it`;
    messages.push({ level: 'error', message, code: 'PUBLISH_INPUT_MISSING', hint: 'See which plugin writes it (`handoff publish plan`) and why it set nothing for this instance.' });
    return { pluginId: entry.id, label: entry.label, order: entry.order, source: entry.source, instanceId: instance?.id, status: 'error', messages, durationMs: 0 };
  }
  try {
    await entry.plugin.process({ context, instance, settings: entry.settings, log });
    if (messages.some((m) => m.level === 'warning')) status = 'warning';
  } catch (err) {
    status = 'error';
    messages.push(errorMessage(err));
  }
  const durationMs = Math.round(performance.now() - started);
  return { pluginId: entry.id, label: entry.label, order: entry.order, source: entry.source, instanceId: instance?.id, status, messages, durationMs };
}

function skipped(entry: PlanEntry, reason: string): PluginResult {
  return {
    pluginId: entry.id, label: entry.label, order: entry.order, source: entry.source, instanceId: undefined,
    status: 'skipped', messages: [{ level: 'info', message: reason }], durationMs: 0,
  };
}

export async function runPublish(plan: PublishPlan, context: PublishContext): Promise<PublishReport> {
  const results: PluginResult[] = [];
  let halted: PublishReport['halted'];
  for (const entry of plan.entries.filter((e) => e.enabled)) {
    const failed = results.filter((r) => r.status === 'error');
    if (entry.order >= HALT_BEFORE_ORDER && failed.length) {
      halted ??= { beforePlugin: entry.id, failed: [...new Set(failed.map((r) => r.pluginId))] };
      results.push(skipped(entry, `not run: ${halted.failed.join(', ')} failed`));
      continue;
    }
    if (!entry.appliesTo) {
      results.push(await runOnce(entry, context, undefined));
      continue;
    }
    // Collectors may add instances, so the list is read when each plugin starts.
    for (const instance of context.instances.filter((i) => matches(entry, i))) {
      results.push(await runOnce(entry, context, instance));
    }
  }
  return { ok: !results.some((r) => r.status === 'error') && !halted, halted, results };
}
