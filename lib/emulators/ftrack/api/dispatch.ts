/**
 * POST /api: authenticate, then run the operations of one batch in order as a
 * single transaction, checking required attributes once all have applied. Success answers an array of results; any failure undoes
 * the batch and answers one `{exception, content, error_code}` object.
 * Batches run one at a time, so a transaction never interleaves with another.
 */
import { ApiError, INVALID_CREDENTIALS_MESSAGE } from '../errors.ts';
import type { EntityRecord } from '../model/index.ts';
import { checkRequired, EntityGraph, type TableStore } from '../store/index.ts';
import { handlerFor } from './actions.ts';
import type { BlobStore } from './blobs.ts';
import type { ApiContext, EntityChange } from './context.ts';
import type { UploadTargets } from './uploads.ts';

export interface DispatcherOptions {
  store: TableStore;
  blobs: BlobStore;
  uploads: UploadTargets;
  apiKey: string;
  baseUrl: () => string;
  /** Called after each committed change set (persistence, ftrack.update events). */
  onCommit?: (changes: EntityChange[], user: EntityRecord | undefined) => void;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export class ApiDispatcher {
  private readonly options: DispatcherOptions;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DispatcherOptions) {
    this.options = options;
  }

  /** The active user `username` may act as with `apiKey`, if the credentials are valid. */
  authenticate(username: unknown, apiKey: unknown): EntityRecord | undefined {
    if (typeof username !== 'string' || apiKey !== this.options.apiKey) return undefined;
    return this.options.store.scan('User').find((u) => u.username === username && u.is_active !== false);
  }

  /** Runs `work` alone against the store, as one transaction. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const { store } = this.options;
      store.begin();
      try {
        const result = await work();
        store.commit();
        return result;
      } catch (err) {
        store.rollback();
        throw err;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private context(user: EntityRecord | undefined, afterCommit: (() => void)[]): ApiContext {
    const baseUrl = this.options.baseUrl();
    return {
      graph: new EntityGraph(this.options.store, baseUrl, user?.id as string | undefined),
      uploads: this.options.uploads,
      blobs: this.options.blobs,
      baseUrl,
      user: user ?? { __entity_type__: 'User' },
      afterCommit,
      mutate: (change) => this.mutate(change, user),
    };
  }

  /** A server-side change outside any request (background jobs, seeding). */
  async mutate(change: (graph: EntityGraph) => void, user?: EntityRecord): Promise<void> {
    const { graph } = this.context(user, []);
    await this.exclusive(async () => {
      change(graph);
      checkRequired(graph);
    });
    if (graph.changes.length) this.options.onCommit?.(graph.changes, user);
  }

  async handle(headers: Record<string, string | string[] | undefined>, body: unknown): Promise<ApiResponse> {
    const user = this.authenticate(headers['ftrack-user'], headers['ftrack-api-key']);
    if (!user) {
      const error = new ApiError('FTRACK_EMULATOR_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE, { errorCode: 'api_credentials_invalid' });
      return { status: 401, body: error.toWire() };
    }
    if (!Array.isArray(body)) {
      const error = new ApiError('FTRACK_EMULATOR_BAD_REQUEST', 'The request body must be a JSON array of operations.');
      return { status: 400, body: error.toWire() };
    }
    const afterCommit: (() => void)[] = [];
    const ctx = this.context(user, afterCommit);
    try {
      const results = await this.exclusive(async () => {
        const out: unknown[] = [];
        for (const op of body as unknown[]) {
          if (typeof op !== 'object' || op === null) throw new ApiError('FTRACK_EMULATOR_BAD_REQUEST', 'Each operation must be an object with an "action".');
          out.push(await handlerFor((op as { action?: unknown }).action)(op as Record<string, unknown>, ctx));
        }
        checkRequired(ctx.graph);
        return out;
      });
      if (ctx.graph.changes.length) this.options.onCommit?.(ctx.graph.changes, user);
      for (const start of afterCommit) start();
      return { status: 200, body: results };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.exception === 'ValidationError' ? 422 : 400, body: err.toWire() };
      const message = err instanceof Error ? err.message : String(err);
      return { status: 500, body: { exception: 'ServerError', content: message, error_code: null } };
    }
  }
}
