/**
 * The publish plugin contract: one file, one `definePublishPlugin({...})`,
 * ordered in the Collect / Validate / Extract / Integrate bands.
 */
import { z } from 'zod';
import { HandoffError } from '../core/errors.ts';
import type { MediaInfo } from '../media/index.ts';
import type { PublishedVersion, TaskContext, Tracker } from '../tracker/types.ts';
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

/**
 * What plugins hand each other on `instance.data`, by key. A plugin declares the keys it
 * `needs`, `uses` and `writes`; the plan refuses a plugin whose needs no earlier plugin writes.
 * Other flows add their keys by augmenting this interface (lib/vendor-publish adds `folder`).
 */
export interface InstanceData {
  /** Probed media facts (collect-media-info; collect-frame-headers for vendor folders). */
  media: MediaInfo;
  /** The review movie extract-review-movie made. */
  review: { frameCount: number; fps: number; width: number; height: number };
  /** The task an instance belongs to when a publish spans several (validate-task-assignment). */
  task: TaskContext;
  /** The version an integrator published. */
  published: PublishedVersion;
  // Given by whoever starts the publish, on the instances it brings.
  /** Asset name of the version; default: the instance name. */
  asset: string;
  /** Version label for burn-ins (`v003`). */
  version: string;
  /** Version number to publish as; default: the next one. */
  versionNumber: number;
  comment: string;
  /** Seconds worked, logged against the task. */
  timeSpent: number;
  /** Status to set on the task. */
  status: string;
}

export type DataKey = keyof InstanceData & string;

/** Keys the caller of a publish may set on its instances: no plugin has to write them. */
export const GIVEN_DATA_KEYS: readonly string[] = ['asset', 'version', 'versionNumber', 'comment', 'timeSpent', 'status'];

/** One item being published: a render, a plate, a movie … */
export interface PublishInstance<D = Partial<InstanceData>> {
  id: string;
  name: string;
  /** What kind of item it is (`render`, `plate`, `review` …); `appliesTo` matches on it. */
  family: string;
  /** Its pixels: a still or movie path, or a frame pattern (`comp.%04d.exr`). */
  media?: { path: string; range?: { first: number; last: number }; fps?: number };
  /** Facts plugins add for later plugins; a plugin sees the keys it declares. */
  data: D;
  /** Files extractors made, by role (`thumbnail`, `review`). */
  outputs: Record<string, string>;
}

/** An instance as a plugin sees it: the data keys it declares; those it `needs` are there. */
export type InstanceView<N extends DataKey, K extends DataKey> = PublishInstance<{ [P in N]: InstanceData[P] } & { [P in K]?: InstanceData[P] }>;

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

export interface ProcessArgs<S, I = PublishInstance | undefined> {
  context: PublishContext;
  /** With `appliesTo`, the instance this call processes; without, undefined. */
  instance: I;
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
  /** `instance.data` keys an earlier plugin must write (or the publish's caller give); the plan checks. */
  needs?: readonly string[];
  /** `instance.data` keys read when present; nothing checks that anyone writes them. */
  uses?: readonly string[];
  /** `instance.data` keys this plugin sets for later plugins. */
  writes?: readonly string[];
  /** Typed settings with defaults; YAML sets them per studio or project. */
  settings?: SettingsSchema<S>;
  process(args: ProcessArgs<S>): Promise<void> | void;
}

interface PluginSpec<S, N extends DataKey, K extends DataKey> {
  id: string;
  order: number;
  label: string;
  needs?: readonly N[];
  uses?: readonly K[];
  writes?: readonly K[];
  settings?: SettingsSchema<S>;
}

/**
 * Declares a plugin. With `appliesTo`, `process` gets the instance (never undefined) whose
 * `data` shows the keys declared in `needs`, `uses` and `writes`, typed by `InstanceData`; the
 * runner refuses to call it for an instance that lacks a key it `needs`.
 */
export function definePublishPlugin<S = Record<string, never>, N extends DataKey = never, K extends DataKey = never>(
  plugin: PluginSpec<S, N, K> & { appliesTo: readonly string[]; process(args: ProcessArgs<S, InstanceView<N, K>>): Promise<void> | void },
): PublishPlugin<S>;
export function definePublishPlugin<S = Record<string, never>, K extends DataKey = never>(
  plugin: PluginSpec<S, never, K> & { appliesTo?: undefined; process(args: ProcessArgs<S, undefined>): Promise<void> | void },
): PublishPlugin<S>;
export function definePublishPlugin<S>(plugin: PublishPlugin<S>): PublishPlugin<S> {
  return plugin;
}

/**
 * The run's tracker, for plugins that need one: the one way to handle a run without it
 * (PUBLISH_TRACKER_MISSING, recorded as this plugin's error).
 */
export function trackerOf(context: PublishContext): Tracker {
  if (context.services.tracker) return context.services.tracker;
  throw new HandoffError('PUBLISH_TRACKER_MISSING', 'This publish runs without a tracker, and this plugin needs one.', {
    hint: 'Configure the tracker (the tracker section of the config), or disable the plugins that need it in publish.yaml.',
  });
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
