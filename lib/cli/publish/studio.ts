/**
 * What the publish commands run against: a memory tracker holding a studio
 * seed (the demo studio by default), and the vendor's folders on this machine.
 */
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { requireFolders } from '../../core/suggest.ts';
import { createMemoryTracker, createTracker, loadStudioSeed } from '../../tracker/index.ts';
import type { CommandContext } from '../action.ts';
import type { Tracker } from '../../tracker/types.ts';
import type { TreeEntry } from '../../vendor-publish/index.ts';
import { attachMediaFacts, buildTree } from '../../vendor-publish/index.ts';

/** The memory tracker holding a studio seed: a shipped name (`demo`) or a YAML file. */
export async function openTracker(seed = 'demo'): Promise<Tracker> {
  return createMemoryTracker({ seed: await loadStudioSeed(seed) });
}

/** The tracker a publish command checks against: the config's with --configured-tracker, else a seed. */
export async function openPublishTracker(ctx: CommandContext, flags: { seed?: string | undefined; configuredTracker?: boolean | undefined }): Promise<Tracker> {
  if (!flags.configuredTracker) return openTracker(flags.seed);
  if (flags.seed) throw new HandoffError('CLI_OPTION_INVALID', '--seed and --configured-tracker name two trackers', { hint: 'Give one of them.' });
  return createTracker((await ctx.loadConfig()).tracker, ctx.io.env);
}

export interface LocalDrop {
  files: TreeEntry[];
  /** The folder holding every dropped folder, when they share one (headers can be read there). */
  parent: string | undefined;
  folders: string[];
}

/** The tree of local folders; refuses paths that are not folders. */
export async function localDrop(folders: string[]): Promise<LocalDrop> {
  const absolute = folders.map((f) => path.resolve(f));
  const parents = new Set(absolute.map((f) => path.dirname(f)));
  await requireFolders(absolute, 'the folder');
  const files = await buildTree(absolute).then((tree) => attachMediaFacts(tree, absolute)).catch((err: unknown) => {
    throw new HandoffError('PUBLISH_FOLDER_UNREADABLE', `Cannot read ${folders.join(', ')}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err, hint: 'Give folders that exist and that you can read.',
    });
  });
  return { files, parent: parents.size === 1 ? [...parents][0] : undefined, folders: absolute };
}
