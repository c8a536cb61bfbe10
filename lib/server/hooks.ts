/**
 * Job hooks at HQ: the built-in hooks/ folder plus the studio's folders and
 * config entries run on every finished or failed job. Each result is recorded
 * with the job; a vendor publish's result also becomes publish records (the
 * folder's pre-publish verdict and the tracker version it made).
 */
import path from 'node:path';
import {
  builtinHooksDir, createHookRuntime, loadHooks, runJobHooks, type Hook, type HookConfigEntry, type HookRunResult, type HookServices, type ResolveAbsolute,
} from '../hooks/index.ts';
import type { Job, TransferAdapter } from '../transfer/types.ts';
import type { Recorder } from './recorder.ts';

export { builtinHooksDir };

export interface HookSetup {
  folders?: string[] | undefined;
  entries?: HookConfigEntry[] | undefined;
  /** Hooks given as objects (tests, embedding programs). */
  hooks?: Hook[] | undefined;
}

interface PublishedFolder {
  folder?: unknown;
  ok?: unknown;
  version?: unknown;
  versionId?: unknown;
  destination?: unknown;
  errors?: unknown;
}

/** Publish records from a post-done hook's output (`{ kind: 'published', folders }`), if it published. */
export function publishedFolders(job: Job | undefined, result: HookRunResult): PublishedFolder[] {
  if (!result.ok || result.on !== 'job.post-done') return [];
  const output = result.output as { kind?: unknown; folders?: unknown } | undefined;
  return output?.kind === 'published' && Array.isArray(output.folders) ? (output.folders as PublishedFolder[]) : [];
}

/** A landing rejection publishes no folder of the job: each is recorded as refused, with the reason. */
export function rejectedFolders(job: Job | undefined, result: HookRunResult): PublishedFolder[] {
  if (result.ok || result.on !== 'job.post-done' || result.error.code !== 'PUBLISH_LANDING_REJECTED') return [];
  const meta = job?.metadata.handoff_publish as { folders?: { filename?: string; can_publish?: boolean }[] } | undefined;
  const folders = Array.isArray(meta?.folders) ? meta.folders.filter((f) => f.can_publish) : [];
  return folders.map((f) => ({ folder: f.filename, ok: false, errors: [`${result.error.code}: ${result.error.message}`] }));
}

function verdictOf(job: Job | undefined, folder: string): string | undefined {
  const meta = job?.metadata.handoff_publish as { folders?: { filename?: string; verdict?: string }[] } | undefined;
  return meta?.folders?.find((f) => f.filename === folder)?.verdict;
}

function vendorOf(job: Job | undefined): string | undefined {
  if (!job) return undefined;
  return job.source.kind === 'vendor' ? job.source.vendor : job.destination.kind === 'vendor' ? job.destination.vendor : undefined;
}

export async function loadServerHooks(setup: HookSetup): Promise<Hook[]> {
  const loaded = await loadHooks({ folders: setup.folders ?? [builtinHooksDir], entries: setup.entries ?? [] });
  return [...loaded, ...(setup.hooks ?? [])];
}

export async function runServerHooks(options: {
  hooks: Hook[];
  transfer: TransferAdapter;
  resolve: ResolveAbsolute;
  recorder: Recorder;
  signal: AbortSignal;
  /** Handed to module hooks as `context.services` (`vendorPublish` for hooks/job-post-done). */
  services?: HookServices | undefined;
}): Promise<void> {
  const { transfer, recorder } = options;
  const runtime = createHookRuntime({ hooks: options.hooks, services: options.services });
  await runJobHooks({
    transfer,
    runtime,
    resolve: options.resolve,
    signal: options.signal,
    onResults: (jobId, results) => {
      void transfer.getJob(jobId).then(
        (job) => record(job, jobId, results),
        () => record(undefined, jobId, results),
      );
    },
  });

  function record(job: Job | undefined, jobId: string, results: HookRunResult[]): void {
    if (options.signal.aborted) return; // shutting down: the databases are closing
    for (const result of results) {
      recorder.hook({ jobId, hook: result.hook, on: result.on, ok: result.ok, durationMs: result.durationMs, log: result.log, error: result.ok ? undefined : result.error });
      for (const folder of [...publishedFolders(job, result), ...rejectedFolders(job, result)]) {
        const name = String(folder.folder ?? '');
        recorder.publish({
          jobId,
          vendor: vendorOf(job),
          folder: name,
          verdict: verdictOf(job, name),
          ok: folder.ok === true,
          version: typeof folder.version === 'number' ? folder.version : undefined,
          versionId: typeof folder.versionId === 'string' ? folder.versionId : undefined,
          destination: typeof folder.destination === 'string' ? folder.destination : undefined,
          errors: Array.isArray(folder.errors) ? folder.errors.map(String) : [],
        });
      }
    }
  }
}

/** Absolute paths of job files on this machine: HQ volumes, and vendor folders mounted here. */
export function resolverFor(volumes: Record<string, string>, vendorRoots: Record<string, string>): ResolveAbsolute {
  const defaultVolume = Object.keys(volumes)[0];
  return (party, relative) => {
    const root = party.kind === 'hq' ? volumes[party.volume ?? defaultVolume ?? ''] : vendorRoots[party.vendor];
    return root === undefined ? undefined : path.join(root, relative);
  };
}
