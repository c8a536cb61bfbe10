/**
 * A vendor publish from the agent's machine: the result folders (inside the
 * agent's root) go to HQ as a tree for pre-publish verdicts, then — when the
 * vendor goes ahead — HQ checks them again and pulls the publishable ones
 * through this agent into the vendor's FROM_CLIENT. Requests are signed with
 * the agent's key.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { requireFolders } from '../core/suggest.ts';
import type { Job } from '../transfer/types.ts';
import { loadAgentCredentials } from '../transfer/wire/index.ts';
import { buildTree } from '../vendor-publish/index.ts';
import type { FolderVerdict, PrepublishResponse, PublishFields, TreeEntry } from '../vendor-publish/index.ts';
import { readAgentSettings } from './home.ts';
import { createHqClient, type HqClient } from './hq-client.ts';

export interface VendorDrop {
  client: HqClient;
  /** Folder holding the dropped folders, relative to the agent's root ('' for the root). */
  parent: string;
  files: TreeEntry[];
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
  return { client, parent: relative.split(path.sep).join('/'), files: await buildTree(absolute) };
}

export function prepublishDrop(drop: VendorDrop, user: string): Promise<PrepublishResponse> {
  return drop.client.post<PrepublishResponse>('/api/vendor/prepublish', { user, files: drop.files });
}

export function publishDrop(drop: VendorDrop, user: string, fields: PublishFields): Promise<PublishAnswer> {
  // One key per publish: a retry after a lost answer gets the same upload job, never a second one.
  return drop.client.post<PublishAnswer>('/api/vendor/publish', { user, files: drop.files, fields, root: drop.parent }, { idempotencyKey: randomUUID() });
}
