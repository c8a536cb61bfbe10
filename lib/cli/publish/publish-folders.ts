/**
 * `handoff publish FOLDER...` on the vendor side: pre-publish, feedback, the
 * fields, then the upload of what is publishable as one transfer job. Run
 * locally (no --server), this machine plays HQ too: the job runs here and the
 * job-post-done hook publishes into the tracker when it has landed.
 */
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { builtinHooksDir, jobHookPayload, loadHooks, runHook } from '../../hooks/index.ts';
import { createEmbeddedTransfer } from '../../transfer/embedded.ts';
import { createRemoteTransfer } from '../../transfer/remote.ts';
import type { Job, TransferAdapter } from '../../transfer/types.ts';
import { parseTimeSpent, submitPublish, vendorHomeOf } from '../../vendor-publish/index.ts';
import type { PublishServices, VendorInfo } from '../../vendor-publish/index.ts';
import type { CommandContext } from '../action.ts';
import { adminToken, serverOf } from '../hq.ts';
import { ExitCode } from '../exit-codes.ts';
import { prepublishLocal } from '../commands/prepublish.ts';
import type { VendorFlags } from '../commands/prepublish.ts';
import { confirm, fillFields } from './ask.ts';
import { responseText } from './format.ts';
import { openPublishTracker } from './studio.ts';

export interface PublishFlags extends VendorFlags {
  comment?: string;
  time?: string;
  status?: string;
  yes?: boolean;
  hqRoot?: string;
  dataDir?: string;
  server?: string;
}

export async function publishFolders(ctx: CommandContext, folders: string[], flags: PublishFlags): Promise<void> {
  const given = { comment: flags.comment, timeSpent: flags.time === undefined ? undefined : parseTimeSpent(flags.time), status: flags.status };
  const env = ctx.io.env;
  const server = serverOf(flags.server, env);
  const hqRoot = flags.hqRoot ?? env.HANDOFF_HQ_ROOT;
  const tracker = await openPublishTracker(ctx, flags);
  let transfer: TransferAdapter | undefined;
  try {
    const { response, drop, vendor, user, services } = await prepublishLocal(ctx, folders, flags, tracker);
    if (!ctx.json) ctx.io.stdout.write(`${responseText(response, ctx.out.style)}\n`);
    const publishable = response.folders.filter((f) => f.can_publish);
    if (!publishable.length) throw new HandoffError('PUBLISH_NOTHING', 'No folder can be published; nothing was uploaded', { hint: 'Fix what the pre-publish messages name, then publish again.' });
    const interactive = !ctx.json && Boolean(process.stdin.isTTY && ctx.io.stdout.isTTY);
    const fields = await fillFields(response.fields, given, interactive);
    if (!flags.yes) {
      if (!interactive) throw new HandoffError('PUBLISH_CONFIRM_NEEDED', 'Not a terminal, so the upload cannot be confirmed', { hint: 'Add --yes to upload without asking.' });
      if (!(await confirm(`Upload ${publishable.length} folder(s)?`))) return void ctx.out.note('Nothing uploaded.');
    }
    if (!drop.parent) throw new HandoffError('PUBLISH_FOLDERS_APART', 'Publish folders that sit side by side in one folder', { hint: 'Move the result folders into one folder, or publish them one at a time.' });
    const token = server ? await adminToken(env, await ctx.loadConfig(), undefined) : undefined;
    transfer = await openPublishTransfer({ server, token, hqRoot, dataDir: flags.dataDir ?? env.HANDOFF_DATA_DIR }, vendor, drop.parent);
    const submitted = await submitPublish({ transfer, vendor, user, response, files: drop.files, fields, sourceOf: (name) => name });
    const landed = hqRoot && !server ? await landAndPublish(transfer, submitted.job, { tracker, plan: services.plan, prepublish: services, hqRoot: path.resolve(hqRoot) }, ctx.signal) : undefined;
    if (landed && !landed.ok) ctx.exitCode = ExitCode.failure;
    ctx.result({ folders: response.folders, fields, job: landed?.job ?? submitted.job, publish: landed?.publish }, (r, style) =>
      `${style.bold(r.job.name)} (${r.job.id}): ${r.job.status}${r.publish ? `\n${r.publish}` : ''}`);
  } finally {
    await transfer?.close();
    await tracker.close();
  }
}

interface TransferTarget {
  server: string | undefined;
  token: string | undefined;
  hqRoot: string | undefined;
  dataDir: string | undefined;
}

async function openPublishTransfer(target: TransferTarget, vendor: VendorInfo, vendorRoot: string): Promise<TransferAdapter> {
  if (target.server) return createRemoteTransfer({ url: `${target.server}/api/transfer`, token: target.token ?? '' });
  if (!target.hqRoot) throw new HandoffError('CLI_OPTION_INVALID', 'A local publish needs the HQ volume', { hint: 'Give --hq-root DIR (or HANDOFF_HQ_ROOT), or --server URL of the HQ server.' });
  const hqRoot = path.resolve(target.hqRoot);
  const transfer = createEmbeddedTransfer({ dataDir: target.dataDir ?? path.join(hqRoot, '.handoff'), roots: { hq: { default: hqRoot }, vendors: { [vendor.code]: vendorRoot } } });
  // Playing HQ: the vendor's home share, FROM_CLIENT writable, as outsourcing sets it up.
  if (!(await transfer.getShare(vendor.code))) await transfer.ensureShare({ vendor: vendor.code, root: vendorHomeOf(vendor) });
  return transfer;
}

async function landAndPublish(transfer: TransferAdapter, job: Job, services: PublishServices, signal: AbortSignal) {
  const { hqRoot } = services;
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener('abort', stop, { once: true });
  let last = (await transfer.getJob(job.id)) ?? job;
  try {
    if (last.status !== 'done' && last.status !== 'failed') {
      for await (const event of transfer.watch({ jobId: job.id, signal: controller.signal })) {
        last = event.job;
        if (event.type === 'job.post-done' || event.type === 'job.post-failed') break;
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    controller.abort();
  }
  if (last.status !== 'done') return { ok: false, job: last, publish: 'The upload did not finish; nothing was published.' };
  const payload = jobHookPayload('job.post-done', last, await transfer.listTasks(job.id), (party, p) => (party.kind === 'hq' ? path.join(hqRoot, p) : undefined));
  // The publish hook the HQ server runs, from the hooks folder, so a studio's change to it holds here too.
  const hook = (await loadHooks({ folders: [builtinHooksDir] })).find((h) => h.on === 'job.post-done' && h.name === 'vendor-publish');
  if (!hook) throw new HandoffError('HOOK_INVALID', `No vendor-publish hook in ${builtinHooksDir}`, { hint: 'Restore hooks/job-post-done/hook.ts.' });
  const result = await runHook(hook, payload, undefined, { vendorPublish: services });
  return { ok: result.ok, job: last, publish: result.ok ? result.log : `Publish failed (${result.error.code}): ${result.error.message}` };
}
