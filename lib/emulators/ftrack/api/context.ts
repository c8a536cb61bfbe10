/** What an action handler works with while one batch runs. */
import type { EntityRecord } from '../model/index.ts';
import type { EntityGraph } from '../store/index.ts';
import type { BlobStore } from './blobs.ts';
import type { UploadTargets } from './uploads.ts';

/** One entity change, reported to event hub subscribers as `ftrack.update`. */
export interface EntityChange {
  action: 'add' | 'update' | 'remove';
  entityType: string;
  entityId: string;
  keys: string[];
  changes: Record<string, { old: unknown; new: unknown }>;
  record: EntityRecord;
}

export interface ApiContext {
  graph: EntityGraph;
  uploads: UploadTargets;
  blobs: BlobStore;
  baseUrl: string;
  user: EntityRecord;
  changes: EntityChange[];
  /** Work to start once the batch has committed (e.g. media encoding). */
  afterCommit: (() => void)[];
  /** Runs `change` later as its own committed transaction, between batches. */
  mutate: (change: (graph: EntityGraph) => void) => Promise<void>;
}

export type Operation = Record<string, unknown> & { action?: unknown };
