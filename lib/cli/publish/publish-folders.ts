/**
 * `handoff publish FOLDER...` on the vendor side: pre-publish, feedback, the
 * fields, then the upload of what is publishable as one transfer job. Run
 * locally (no --server), this machine plays HQ too: the job runs here and the
 * job-post-done hook publishes into the tracker when it has landed.
 */
import path from 'node:path';
import pc from 'picocolors';
import { HandoffError } from '../../core/errors.ts';
import { jobHookPayload, runHook } from '../../hooks/index.ts';
import type { Tracker } from '../../tracker/types.ts';
import { createEmbeddedTransfer } from '../../transfer/embedded.ts';
import { createRemoteTransfer } from '../../transfer/remote.ts';
import type { Job, TransferAdapter } from '../../transfer/types.ts';
import { createVendorPublishHook, parseTimeSpent, submitPublish, vendorHomeOf } from '../../vendor-publish/index.ts';
import type { VendorInfo } from '../../vendor-publish/index.ts';
import { prepublishLocal } from '../commands/prepublish.ts';
import type { VendorFlags } from '../commands/prepublish.ts';
import type { ClientOptions } from '../transfer/client.ts';
import { hqRootOf } from '../transfer/client.ts';
import { confirm, fillFields, isInteractive } from './ask.ts';
import { responseText } from './format.ts';
import { reportErrors } from './output.ts';
import { openTracker } from './studio.ts';

export interface PublishFlags extends VendorFlags, ClientOptions {
  comment?: string;
  time?: string;
  status?: string;
  yes?: boolean;
}

export async function publishFolders(folders: string[], flags: PublishFlags): Promise<void> {
  const json = Boolean(flags.json);
  await reportErrors(json, async () => {
    const given = { comment: flags.comment, timeSpent: flags.time === undefined ? undefined : parseTimeSpent(flags.time), status: flags.status };
    const tracker = await openTracker(flags.seed);
    let transfer: TransferAdapter | undefined;
    try {
      const { response, drop, vendor, user } = await prepublishLocal(folders, flags, tracker);
      if (!json) console.log(responseText(response));
      const publishable = response.folders.filter((f) => f.can_publish);
      if (!publishable.length) throw new HandoffError('PUBLISH_NOTHING', 'No folder can be published; nothing was uploaded', { hint: 'Fix what the messages above name, then publish again.' });
      const interactive = isInteractive() && !json;
      const fields = await fillFields(response.fields, given, interactive);
      if (!flags.yes) {
        if (!interactive) throw new HandoffError('PUBLISH_CONFIRM_NEEDED', 'Not a terminal, so the upload cannot be confirmed', { hint: 'Add --yes to upload without asking.' });
        if (!(await confirm(`Upload ${publishable.length} folder(s)?`))) return void console.log('Nothing uploaded.');
      }
      if (!drop.parent) throw new HandoffError('PUBLISH_FOLDERS_APART', 'Publish folders that sit side by side in one folder', { hint: 'Move the result folders into one folder, or publish them one at a time.' });
      const hqRoot = hqRootOf(flags);
      transfer = await openPublishTransfer(flags, vendor, drop.parent, hqRoot);
      const submitted = await submitPublish({ transfer, vendor, user, response, fields, sourceOf: (name) => name });
      const landed = hqRoot && !remote(flags) ? await landAndPublish(transfer, submitted.job, tracker, hqRoot) : undefined;
      if (json) console.log(JSON.stringify({ ...response, job: landed?.job ?? submitted.job, publish: landed?.publish }, null, 2));
      else console.log(`${pc.bold(submitted.job.name)} (${submitted.job.id}): ${landed?.job.status ?? submitted.job.status}${landed ? `\n${landed.publish}` : ''}`);
    } finally {
      await transfer?.close();
      await tracker.close();
    }
  });
}

const remote = (flags: ClientOptions) => Boolean(flags.server ?? process.env.HANDOFF_URL);

async function openPublishTransfer(flags: PublishFlags, vendor: VendorInfo, vendorRoot: string, hqRoot: string | undefined): Promise<TransferAdapter> {
  const server = flags.server ?? process.env.HANDOFF_URL;
  if (server) return createRemoteTransfer({ url: server, token: process.env.HANDOFF_TOKEN ?? '' });
  if (!hqRoot) throw new HandoffError('CLI_OPTION_INVALID', 'A local publish needs the HQ volume', { hint: 'Give --hq-root DIR (or HANDOFF_HQ_ROOT), or --server URL of the HQ server.' });
  const dataDir = flags.dataDir ?? process.env.HANDOFF_DATA_DIR ?? path.join(hqRoot, '.handoff');
  const transfer = createEmbeddedTransfer({ dataDir, roots: { hq: { default: hqRoot }, vendors: { [vendor.code]: vendorRoot } } });
  // Playing HQ: the vendor's home share, FROM_CLIENT writable, as outsourcing sets it up.
  if (!(await transfer.getShare(vendor.code))) await transfer.ensureShare({ vendor: vendor.code, root: vendorHomeOf(vendor) });
  return transfer;
}

async function landAndPublish(transfer: TransferAdapter, job: Job, tracker: Tracker, hqRoot: string): Promise<{ job: Job; publish: string }> {
  const controller = new AbortController();
  let last = (await transfer.getJob(job.id)) ?? job;
  try {
    if (last.status !== 'done' && last.status !== 'failed') {
      for await (const event of transfer.watch({ jobId: job.id, signal: controller.signal })) {
        last = event.job;
        if (event.type === 'job.post-done' || event.type === 'job.post-failed') break;
      }
    }
  } finally {
    controller.abort();
  }
  if (last.status !== 'done') return { job: last, publish: 'The upload did not finish; nothing was published.' };
  const payload = jobHookPayload('job.post-done', last, await transfer.listTasks(job.id), (party, p) => (party.kind === 'hq' ? path.join(hqRoot, p) : undefined));
  const result = await runHook(createVendorPublishHook({ tracker, hqRoot }), payload);
  if (!result.ok) process.exitCode = 1;
  return { job: last, publish: result.ok ? result.log : `Publish failed (${result.error.code}): ${result.error.message}` };
}
