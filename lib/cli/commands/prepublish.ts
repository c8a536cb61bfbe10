/**
 * `handoff prepublish FOLDER... [--vendor CODE] [--user NAME]`: the verdicts
 * HQ would give these folders, without uploading anything. Vendors, file
 * types and the destination come from the config; the tracker is a memory
 * tracker holding a studio seed (the demo studio unless --seed), or the
 * config's own tracker with --configured-tracker. Exits 3
 * (invalid input) when a folder is rejected.
 */
import type { Command } from 'commander';
import type { Tracker } from '../../tracker/types.ts';
import { prepublishServiceFromConfig, vendorFromConfig } from '../../vendor-publish/index.ts';
import type { PrepublishResponse } from '../../vendor-publish/index.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { ExitCode } from '../exit-codes.ts';
import { responseText } from '../publish/format.ts';
import { localDrop, openPublishTracker } from '../publish/studio.ts';

export interface VendorFlags {
  vendor: string;
  user?: string;
  seed?: string;
  /** Check against the tracker the config names instead of a seed. */
  configuredTracker?: boolean;
}

/** Pre-publishes local folders for a vendor (from the config) through the studio's pre-publish service. */
export async function prepublishLocal(ctx: CommandContext, folders: string[], flags: VendorFlags, tracker: Tracker) {
  const config = await ctx.loadConfig();
  const vendor = vendorFromConfig(config, flags.vendor);
  const user = flags.user ?? vendor.users[0] ?? '';
  const drop = await localDrop(folders);
  // The same plugins, settings, statuses and publish.pre hooks HQ's endpoints apply.
  const service = await prepublishServiceFromConfig(config, { tracker });
  const response: PrepublishResponse = await service.prepublish({ vendor, user, files: drop.files, localRoot: drop.parent });
  return { response, drop, vendor, user, services: service.services };
}

async function prepublishAction(ctx: CommandContext, folders: string[], flags: VendorFlags): Promise<void> {
  const tracker = await openPublishTracker(ctx, flags);
  const { response } = await prepublishLocal(ctx, folders, flags, tracker).finally(() => tracker.close());
  ctx.result(response, (r, style) => responseText(r, style));
  if (response.folders.some((f) => f.verdict === 'rejected')) ctx.exitCode = ExitCode.invalid;
}

export function register(program: Command): void {
  program
    .command('prepublish')
    .description('Check result folders the way HQ does before a publish (nothing is uploaded)')
    .argument('<folders...>', 'result folders, one per task (scd_0010_0010_cleanup_v001)')
    .option('--vendor <code>', 'vendor code', 'CompersInc')
    .option('--user <name>', "tracker username or email of the person publishing (default: the vendor's first)")
    .option('--seed <name|file>', 'studio seed of the memory tracker (default: the demo studio)')
    .option('--configured-tracker', 'check against the tracker the config names (e.g. ftrack) instead of a seed')
    .action(cliAction(prepublishAction));
}
