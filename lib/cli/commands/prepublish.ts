/**
 * `handoff prepublish FOLDER... [--vendor CODE] [--user NAME] [--json]`: the
 * verdicts HQ would give these folders, without uploading anything. Runs
 * against the demo studio's memory tracker when nothing is configured.
 */
import type { Command } from 'commander';
import { localPrepublishService } from '../../vendor-publish/index.ts';
import type { PrepublishResponse } from '../../vendor-publish/index.ts';
import { responseText } from '../publish/format.ts';
import { reportErrors } from '../publish/output.ts';
import { localDrop, openTracker, vendorNamed } from '../publish/studio.ts';
import type { Tracker } from '../../tracker/types.ts';

export interface VendorFlags {
  vendor: string;
  user?: string;
  seed?: string;
  json?: boolean;
}

/** Pre-publishes local folders for a vendor through the in-process service. */
export async function prepublishLocal(folders: string[], flags: VendorFlags, tracker: Tracker) {
  const vendor = vendorNamed(flags.vendor);
  const user = flags.user ?? vendor.users[0] ?? '';
  const drop = await localDrop(folders);
  const response: PrepublishResponse = await localPrepublishService({ tracker }).prepublish({ vendor, user, files: drop.files, localRoot: drop.parent });
  return { response, drop, vendor, user };
}

export function register(program: Command): void {
  program
    .command('prepublish')
    .description('Check result folders the way HQ does before a publish (nothing is uploaded)')
    .argument('<folders...>', 'result folders, one per task (scd_0010_0010_cleanup_v001)')
    .option('--vendor <code>', 'vendor code', 'CompersInc')
    .option('--user <name>', 'tracker username or email of the person publishing (default: the vendor\'s first)')
    .option('--seed <name|file>', 'studio seed of the memory tracker (default: the demo studio)')
    .option('--json', 'print the verdicts as JSON')
    .action(async (folders: string[], flags: VendorFlags) => {
      await reportErrors(Boolean(flags.json), async () => {
        const tracker = await openTracker(flags.seed);
        const { response } = await prepublishLocal(folders, flags, tracker).finally(() => tracker.close());
        console.log(flags.json ? JSON.stringify(response, null, 2) : responseText(response));
        if (response.folders.some((f) => f.verdict === 'rejected')) process.exitCode = 1;
      });
    });
}
