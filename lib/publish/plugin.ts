/**
 * The publish plugin contract: one file, one `definePublishPlugin({...})`,
 * ordered in the Collect / Validate / Extract / Integrate bands.
 */
import { z } from 'zod';
import type { TaskContext, Tracker } from '../tracker/types.ts';
import type { PublishMedia } from './services.ts';

/** Order bands; plugins slot between them with decimals (`Order.Validate + 0.1`). */
export const Order = {
  Collect: 0,
  Validate: 1,
  Extract: 2,
  Integrate: 3,
} as const;

/** Plugins at or past this order do not run once anything has failed. */
export const HALT_BEFORE_ORDER = 1.5;

export function bandOf(order: number): keyof typeof Order {
  if (order < 0.5) return 'Collect';
  if (order < HALT_BEFORE_ORDER) return 'Validate';
  if (order < 2.5) return 'Extract';
  return 'Integrate';
}

/** One item being published: a render, a plate, a movie … */
export interface PublishInstance {
  id: string;
  name: string;
  /** What kind of item it is (`render`, `plate`, `review` …); `appliesTo` matches on it. */
  family: string;
  /** Its pixels: a still or movie path, or a frame pattern (`comp.%04d.exr`). */
  media?: { path: string; range?: { first: number; last: number }; fps?: number };
  /** Facts plugins add for later plugins (probe results, tracker ids …). */
  data: Record<string, unknown>;
  /** Files extractors made, by role (`thumbnail`, `review`). */
  outputs: Record<string, string>;
}

export interface PublishLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface PublishServices {
  tracker?: Tracker | undefined;
  media: PublishMedia;
  log: PublishLog;
}

/** Shared by every plugin of one publish run. */
export interface PublishContext {
  project?: string | undefined;
  task?: TaskContext | undefined;
  /** Where extractors write what they make. */
  stagingDir: string;
  instances: PublishInstance[];
  data: Record<string, unknown>;
  services: PublishServices;
}

export interface ProcessArgs<S> {
  context: PublishContext;
  /** Set when the plugin declares `appliesTo`: it runs once per matching instance. */
  instance: PublishInstance | undefined;
  settings: S;
  /** Messages shown in this plugin's result; a warning marks the result `warning`. */
  log: PublishLog;
}

/** A zod schema whose input may be partial (defaults fill the rest). */
export type SettingsSchema<S> = z.ZodType<S, unknown>;

export interface PublishPlugin<S = Record<string, never>> {
  /** Kebab-case, verb first: `validate-frame-range`. A later file with the same id replaces this one. */
  id: string;
  order: number;
  label: string;
  /** Families this plugin processes, one call per instance; `['*']` for all. Omitted: once per publish. */
  appliesTo?: readonly string[];
  /** Typed settings with defaults; YAML sets them per studio or project. */
  settings?: SettingsSchema<S>;
  process(args: ProcessArgs<S>): Promise<void> | void;
}

export function definePublishPlugin<S = Record<string, never>>(plugin: PublishPlugin<S>): PublishPlugin<S> {
  return plugin;
}

const BRAND = Symbol.for('handoff.publish-validation-error');

/**
 * A problem a person must fix before publishing, with a short title and a
 * hint. Validators throw it; the runner keeps going through every validator.
 */
export class PublishValidationError extends Error {
  override readonly name = 'PublishValidationError';
  readonly title: string;
  readonly hint: string | undefined;
  /** The file or setting it concerns. */
  readonly path: string | undefined;
  readonly [BRAND] = true;

  constructor(message: string, options: { title: string; hint?: string; path?: string }) {
    super(message);
    this.title = options.title;
    this.hint = options.hint;
    this.path = options.path;
  }
}

/** True also for errors made by another copy of this module (TD files loaded separately). */
export function isPublishValidationError(err: unknown): err is PublishValidationError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

/** What a plugin file may export as default: a plugin, or a function given this API. */
export const publishApi = { definePublishPlugin, Order, PublishValidationError, z } as const;
export type PublishApi = typeof publishApi;
