/** What an action handler works with while one batch runs. */
import type { EntityRecord } from '../model/index.ts';
import type { EntityGraph } from '../store/index.ts';

export type { EntityChange } from '../store/index.ts';
import type { BlobStore } from './blobs.ts';
import type { UploadTargets } from './uploads.ts';


export interface ApiContext {
  graph: EntityGraph;
  uploads: UploadTargets;
  blobs: BlobStore;
  baseUrl: string;
  user: EntityRecord;
  /** Work to start once the batch has committed (e.g. media encoding). */
  afterCommit: (() => void)[];
  /** Runs `change` later as its own committed transaction, between batches. */
  mutate: (change: (graph: EntityGraph) => void) => Promise<void>;
}

export type Operation = Record<string, unknown> & { action?: unknown };
