/**
 * The embedded TransferAdapter: the transfer core running in this process,
 * with its SQLite state, scheduler and transports (the `local` one by default).
 */
import { createTransferCore, type Clock, type Limits, type RetryPolicy, type Roots } from './core/index.ts';
import { createLocalTransport } from './local/index.ts';
import type { Transport } from './transport.ts';
import type { TransferAdapter } from './types.ts';
import { watchEvents } from './watch.ts';

export interface EmbeddedTransferOptions {
  /** Folder for transfer.db (or give dbPath). */
  dataDir?: string | undefined;
  dbPath?: string | undefined;
  roots?: Roots | undefined;
  /** Default: the local transport over `roots`. */
  transports?: Transport[] | undefined;
  limits?: Limits | undefined;
  retry?: RetryPolicy | undefined;
  clock?: Clock | undefined;
  /** Run the scheduler here (default true); read-only tools turn it off. */
  schedule?: boolean | undefined;
}

export interface EmbeddedTransfer extends TransferAdapter {
  /** Guards every path a vendor asks for (for the wire's HQ listener). */
  checkAccess(vendor: string, path: string, mode: 'read' | 'write'): void;
}

export function createEmbeddedTransfer(options: EmbeddedTransferOptions): EmbeddedTransfer {
  const roots = options.roots ?? {};
  const core = createTransferCore({ ...options, roots, transports: options.transports ?? [createLocalTransport({ roots })] });
  return {
    name: 'embedded',
    features: { liveEvents: true },
    findJob: async (name) => core.findJob(name),
    ensureJob: async (spec) => core.ensureJob(spec),
    getJob: async (id) => core.getJob(id),
    listJobs: async (filter) => core.listJobs(filter),
    appendTasks: async (jobId, tasks) => core.appendTasks(jobId, tasks),
    listTasks: async (jobId) => core.listTasks(jobId),
    pause: (jobId) => core.pause(jobId),
    resume: async (jobId) => core.resume(jobId),
    prioritise: async (jobId, priority, taskIds) => core.prioritise(jobId, priority, taskIds),
    retry: async (jobId, taskIds) => core.retry(jobId, taskIds),
    exclude: (jobId, taskIds) => core.exclude(jobId, taskIds),
    ensureShare: (share) => core.ensureShare(share),
    getShare: async (vendor) => core.getShare(vendor),
    grant: async (grant) => core.grant(grant),
    listGrants: async (vendor) => core.listGrants(vendor),
    checkAccess: (vendor, path, mode) => core.checkAccess(vendor, path, mode),
    watch: (watchOptions) => watchEvents(core.bus.subscribe, watchOptions),
    close: () => core.close(),
  };
}
