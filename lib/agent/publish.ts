/**
 * A vendor publish from the agent's machine: the result folders (inside the
 * agent's root) go to HQ as a tree for pre-publish verdicts, then — when the
 * vendor goes ahead — HQ checks them again and pulls the publishable ones
 * through this agent into the vendor's FROM_CLIENT. Requests are signed with
 * the agent's key.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { HandoffError } from '../core/errors.ts';
import { requireFolders } from '../core/suggest.ts';
import type { Job } from '../transfer/types.ts';
import { loadAgentCredentials } from '../transfer/wire/index.ts';
import { attachContentHashes, attachMediaFacts, buildTree } from '../vendor-publish/index.ts';
import type { FolderVerdict, PrepublishResponse, PublishFields, TreeEntry } from '../vendor-publish/index.ts';
import { readAgentSettings } from './home.ts';
import { createHqClient, type HqClient } from './hq-client.ts';

export interface VendorDrop {
  client: HqClient;
  /** Folder holding the dropped folders, relative to the agent's root ('' for the root). */
  parent: string;
  files: TreeEntry[];
}

/** How HQ says an upload ended (GET /api/vendor/publish/:jobId). */
export interface PublishOutcome {
  job: { id: string; name: string; status: string };
  state: 'uploading' | 'published' | 'rejected' | 'failed';
  error?: { code: string; message: string } | undefined;
  publishes: { folder: string; ok: boolean; version?: number | undefined; errors: string[] }[];
}

export interface PublishAnswer {
  job: Job;
  folders: FolderVerdict[];
  response: PrepublishResponse;
}

/** Reads the dropped folders and connects to HQ as this agent. */
export async function prepareDrop(home: string, folders: string[]): Promise<VendorDrop> {
  const settings = await readAgentSettings(home);
  if (!settings.serverUrl) {
    throw new HandoffError('AGENT_SERVER_URL_MISSING', 'This agent does not know HQ\'s HTTP address, which publishing needs', {
      hint: 'Enrol again with --server http(s)://HQ:PORT (as printed by `handoff vendor invite`) and --force.',
    });
  }
  if (!folders.length) throw new HandoffError('AGENT_PUBLISH_EMPTY', 'Name at least one result folder to publish', { hint: 'e.g. handoff agent publish scd_0010_0010_cleanup_v001' });
  const absolute = folders.map((f) => path.resolve(settings.root, f));
  const parents = new Set(absolute.map((f) => path.dirname(f)));
  const [parent = settings.root] = parents;
  const relative = path.relative(settings.root, parent);
  if (parents.size > 1 || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new HandoffError('AGENT_PUBLISH_OUTSIDE_ROOT', `Result folders must sit side by side inside the agent root ${settings.root}`, {
      details: { root: settings.root, folders: absolute },
      hint: 'Move the folders into one folder under the root (HQ reads them through the agent), then publish again.',
    });
  }
  await requireFolders(absolute, 'the agent root');
  const client = createHqClient(settings.serverUrl, { kind: 'agent', credentials: await loadAgentCredentials(home) });
  // One frame header per sequence and a content hash per file travel with the tree; HQ checks the landed files against both.
  const files = await attachContentHashes(await attachMediaFacts(await buildTree(absolute), absolute), absolute);
  return { client, parent: relative.split(path.sep).join('/'), files };
}

export function prepublishDrop(drop: VendorDrop, user: string): Promise<PrepublishResponse> {
  return drop.client.post<PrepublishResponse>('/api/vendor/prepublish', { user, files: drop.files });
}

export function publishDrop(drop: VendorDrop, user: string, fields: PublishFields): Promise<PublishAnswer> {
  // One key per publish: a retry after a lost answer gets the same upload job, never a second one.
  return drop.client.post<PublishAnswer>('/api/vendor/publish', { user, files: drop.files, fields, root: drop.parent }, { idempotencyKey: randomUUID() });
}

/**
 * Waits until HQ has published the upload or refused it; HQ checks every landed
 * file against what it validated. Asks again every `intervalMs` until `signal` aborts.
 */
export async function waitForPublish(drop: VendorDrop, jobId: string, options: { signal?: AbortSignal | undefined; intervalMs?: number } = {}): Promise<PublishOutcome> {
  for (;;) {
    const outcome = await drop.client.get<PublishOutcome>(`/api/vendor/publish/${encodeURIComponent(jobId)}`);
    if (outcome.state !== 'uploading') return outcome;
    await delay(options.intervalMs ?? 1000, undefined, { signal: options.signal });
  }
}

/** The outcome as an error when nothing was published, so scripts see HQ's code. */
export function outcomeError(outcome: PublishOutcome): HandoffError | undefined {
  if (outcome.state === 'published') return undefined;
  return new HandoffError(outcome.error?.code ?? 'PUBLISH_FAILED', outcome.error?.message ?? `The upload ${outcome.job.name} was not published`, {
    hint: outcome.state === 'rejected'
      ? 'What landed at HQ differs from what was validated, so nothing was published. Fix the folder and publish again.'
      : 'Nothing was published; ask the studio to look at the job, or publish again.',
    details: { jobId: outcome.job.id, state: outcome.state, publishes: outcome.publishes },
  });
}
