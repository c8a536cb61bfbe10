/**
 * The embedded TransferAdapter: the transfer core running in this process,
 * with its SQLite state, scheduler and transports (the `local` one by default).
 */
import { createTransferCore, type AgentStore, type Clock, type Limits, type RetryPolicy, type Roots } from './core/index.ts';
import { createLocalTransport } from './local/index.ts';
import type { AccessCheck, Transport } from './transport.ts';
import type { TransferAdapter } from './types.ts';
import { watchEvents } from './watch.ts';

export interface EmbeddedTransferOptions {
  /** Folder for transfer.db (or give dbPath). */
  dataDir?: string | undefined;
  dbPath?: string | undefined;
  roots?: Roots | undefined;
  /**
   * Default: the local transport over `roots`. A function receives the core's
   * access check, for transports that need it when built (the wire).
   */
  transports?: Transport[] | ((access: AccessCheck) => Transport[]) | undefined;
  limits?: Limits | undefined;
  retry?: RetryPolicy | undefined;
  clock?: Clock | undefined;
  /** Run the scheduler here (default true); read-only tools turn it off. */
  schedule?: boolean | undefined;
}

export interface EmbeddedTransfer extends TransferAdapter {
  /** Guards every path a vendor asks for (for the wire's HQ listener). */
  checkAccess(vendor: string, path: string, mode: 'read' | 'write'): void;
  /** Enrolment codes and pinned agent keys, durable in the core's database (for the HQ listener). */
  readonly agents: AgentStore;
}

export function createEmbeddedTransfer(options: EmbeddedTransferOptions): EmbeddedTransfer {
  const roots = options.roots ?? {};
  const access: AccessCheck = (vendor, path, mode) => core.checkAccess(vendor, path, mode);
  const transports = typeof options.transports === 'function' ? options.transports(access) : (options.transports ?? [createLocalTransport({ roots })]);
  const core = createTransferCore({ ...options, roots, transports });
  const closing = new AbortController();
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
    agents: core.agents,
    watch: (watchOptions = {}) =>
      watchEvents(core.bus.subscribe, {
        jobId: watchOptions.jobId,
        signal: watchOptions.signal ? AbortSignal.any([closing.signal, watchOptions.signal]) : closing.signal,
      }),
    async close() {
      closing.abort(); // ends every watch()
      await core.close();
    },
  };
}
