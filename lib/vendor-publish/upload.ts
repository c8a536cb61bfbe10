/**
 * The vendor's upload: the publishable folders become one transfer job from
 * the vendor to its FROM_CLIENT at HQ, carrying the verdicts and the vendor's
 * fields as job metadata for the job-post-done hook.
 */
import { HandoffError } from '../core/errors.ts';
import type { AppendResult, Job, TransferAdapter } from '../transfer/types.ts';
import { completeFields, missingFields } from './fields.ts';
import { PUBLISH_METADATA_KEY } from './types.ts';
import type { FolderVerdict, PrepublishResponse, PublishFields, PublishJobMetadata, VendorInfo } from './types.ts';

export interface SubmitPublishOptions {
  transfer: TransferAdapter;
  vendor: VendorInfo;
  user: string;
  response: PrepublishResponse;
  fields: PublishFields;
  /** Path of a dropped folder relative to the vendor's transfer root. */
  sourceOf: (filename: string) => string;
  /** HQ volume the upload lands in; default the HQ's default volume. */
  volume?: string | undefined;
}

export interface SubmittedPublish {
  job: Job;
  tasks: AppendResult;
  folders: FolderVerdict[];
}

export function publishJobName(vendor: VendorInfo, folders: FolderVerdict[]): string {
  const [first] = folders;
  return `Publish - ${vendor.code} - ${first?.filename ?? ''}${folders.length > 1 ? ` +${folders.length - 1}` : ''}`;
}

export async function submitPublish(options: SubmitPublishOptions): Promise<SubmittedPublish> {
  const folders = options.response.folders.filter((f) => f.can_publish && f.landing);
  if (!folders.length) {
    throw new HandoffError('PUBLISH_NOTHING', 'No folder can be published; nothing was uploaded', {
      hint: 'Fix what the pre-publish messages name, then publish again.',
      details: { rejected: options.response.folders.map((f) => f.filename) },
    });
  }
  const missing = missingFields(options.response.fields, options.fields);
  if (missing.length) {
    throw new HandoffError('PUBLISH_FIELDS_MISSING', `Fill in ${missing.join(', ')} before publishing`, {
      hint: 'Give --comment "what you did", --time 3h30m and --status, or run on a terminal to be asked.',
      details: { missing },
    });
  }
  const fields = completeFields(options.response.fields, options.fields);
  const metadata: PublishJobMetadata = { kind: 'vendor-publish', vendor: options.vendor, user: options.user, fields, folders };
  const job = await options.transfer.ensureJob({
    name: publishJobName(options.vendor, folders),
    source: { kind: 'vendor', vendor: options.vendor.code },
    destination: { kind: 'hq', volume: options.volume },
    mirrorPaths: false,
    metadata: { [PUBLISH_METADATA_KEY]: metadata },
  });
  const tasks = await options.transfer.appendTasks(job.id, folders.map((f) => ({
    source: options.sourceOf(f.filename),
    destination: f.landing,
    metadata: { publishFolder: f.filename },
  })));
  return { job, tasks, folders };
}
