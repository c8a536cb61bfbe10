/**
 * The vendor's upload: the publishable folders become one transfer job from
 * the vendor to its FROM_CLIENT at HQ, one task per validated file (never a
 * walk of the folder), carrying the verdicts, the validated file lists and
 * the vendor's fields as job metadata for the job-post-done hook.
 */
import { HandoffError } from '../core/errors.ts';
import type { AppendResult, Job, TransferAdapter } from '../transfer/types.ts';
import { completeFields, missingFields } from './fields.ts';
import { mediaFactsOf } from './media-facts.ts';
import { flattenFolder } from './tree.ts';
import { PUBLISH_METADATA_KEY } from './types.ts';
import type { FolderVerdict, PrepublishResponse, PublishFields, PublishJobMetadata, TreeEntry, ValidatedFolder, VendorInfo } from './types.ts';

export interface SubmitPublishOptions {
  transfer: TransferAdapter;
  vendor: VendorInfo;
  user: string;
  response: PrepublishResponse;
  /** The tree the response judged: its files are exactly what is uploaded. */
  files: TreeEntry[];
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
  const validated = folders.map((f) => validatedFolder(f, options.files));
  const metadata: PublishJobMetadata = { kind: 'vendor-publish', vendor: options.vendor, user: options.user, fields, folders, validated };
  const job = await options.transfer.ensureJob({
    name: publishJobName(options.vendor, folders),
    source: { kind: 'vendor', vendor: options.vendor.code },
    destination: { kind: 'hq', volume: options.volume },
    mirrorPaths: false,
    metadata: { [PUBLISH_METADATA_KEY]: metadata },
  });
  const tasks = await options.transfer.appendTasks(job.id, validated.flatMap((v) => {
    const folder = folders.find((f) => f.filename === v.folder)!;
    return v.files.map((file) => ({
      source: `${options.sourceOf(v.folder)}/${file.path}`,
      destination: `${folder.landing}/${file.path}`,
      metadata: { publishFolder: v.folder, file: file.path },
    }));
  }));
  return { job, tasks, folders };
}

/** The files of a publishable folder as judged (junk left out), and the frame facts sent with it. */
function validatedFolder(verdict: FolderVerdict, tree: TreeEntry[]): ValidatedFolder {
  const entry = tree.find((e) => e?.is_dir && e.filename === verdict.filename);
  const flat = entry ? flattenFolder(entry) : undefined;
  if (!entry || !flat || flat.unsafe.length || !flat.files.length) {
    throw new HandoffError('PUBLISH_REQUEST_INVALID', `${verdict.filename} is not a folder of the tree that was checked`, {
      hint: 'Pre-publish and publish the same folders, then try again.',
      details: { folder: verdict.filename },
    });
  }
  const ignored = new Set(verdict.ignored ?? []);
  return { folder: verdict.filename, files: flat.files.filter((f) => !ignored.has(f.path)), media: mediaFactsOf(entry.media) };
}
