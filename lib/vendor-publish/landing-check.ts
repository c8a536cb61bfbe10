/**
 * Landing is validation. Before anything of a vendor's upload is published,
 * HQ compares each landed folder with what it validated (file names, sizes,
 * content hashes, the frame facts sent with the tree) and runs Collect and Validate again on
 * the landed files with the studio's plan. Anything extra, missing or
 * different rejects the folder; a rejected folder never reaches the
 * production path or the tracker.
 */
import path from 'node:path';
import { HandoffError, isHandoffError } from '../core/errors.ts';
import { confinePath } from '../core/paths/index.ts';
import type { JobHookPayload } from '../hooks/index.ts';
import type { FolderFile } from './folder-data.ts';
import { hashDifferences, hashFile } from './content-hash.ts';
import { landedFiles } from './landed.ts';
import { mediaDifferences, readFrameFacts } from './media-facts.ts';
import { prepublish } from './prepublish.ts';
import type { PrepublishServices } from './prepublish.ts';
import { buildTree } from './tree.ts';
import type { FolderVerdict, PublishJobMetadata } from './types.ts';

export interface LandedFolder {
  verdict: FolderVerdict & { taskId: string; destination: string; landing: string; asset: string; version: number };
  /** Absolute path of the landed folder. */
  landed: string;
  files: FolderFile[];
}

const SHOWN = 5;
const few = (items: string[]): string => `${items.slice(0, SHOWN).join(', ')}${items.length > SHOWN ? ` and ${items.length - SHOWN} more` : ''}`;

function metadataInvalid(filename: string, what: string): HandoffError {
  return new HandoffError('PUBLISH_METADATA_INVALID', `The job's publish metadata for ${filename} lacks ${what}`, {
    hint: 'Publish the folder again with `handoff publish` or `handoff agent publish`; the job was not made by them.',
    details: { folder: filename },
  });
}

/** The landed files against the validated list: what is extra, missing or of another size. */
export function fileDifferences(validated: readonly FolderFile[], landed: readonly FolderFile[]): string[] {
  const wanted = new Map(validated.map((f) => [f.path, f.size]));
  const found = new Map(landed.map((f) => [f.path, f.size]));
  const extra = [...found.keys()].filter((p) => !wanted.has(p));
  const missing = [...wanted.keys()].filter((p) => !found.has(p));
  const resized = [...wanted].filter(([p, size]) => found.has(p) && found.get(p) !== size).map(([p, size]) => `${p} (${found.get(p)} bytes, validated as ${size})`);
  return [
    ...(extra.length ? [`${extra.length} file(s) that were not validated: ${few(extra)}`] : []),
    ...(missing.length ? [`${missing.length} validated file(s) missing: ${few(missing)}`] : []),
    ...(resized.length ? [`${resized.length} file(s) changed size: ${few(resized)}`] : []),
  ];
}

/**
 * Hashes every landed file (each is recorded on `landed`, so a file the vendor
 * sent no hash for gets one) and names those whose content is not what was validated.
 */
async function contentDifferences(validated: readonly FolderFile[], landed: FolderFile[], folder: string): Promise<string[]> {
  for (const file of landed) file.hash = await hashFile(path.join(folder, file.path));
  const changed = hashDifferences(validated, new Map(landed.map((f) => [f.path, f.hash!])));
  return changed.length ? [`${changed.length} file(s) changed content: ${few(changed)}`] : [];
}

/** One folder's landing check; throws PUBLISH_LANDING_REJECTED naming what differs. */
export async function checkLandedFolder(job: JobHookPayload, meta: PublishJobMetadata, verdict: FolderVerdict, hqRoot: string, services: PrepublishServices): Promise<LandedFolder> {
  const { filename, taskId, destination, landing, asset, version } = verdict;
  if (!taskId || !destination || !landing || !asset || version === undefined) throw metadataInvalid(filename, 'its task, version or paths');
  const validated = Array.isArray(meta.validated) ? meta.validated.find((v) => v.folder === filename) : undefined;
  if (!validated) throw metadataInvalid(filename, 'the list of validated files');
  const tasks = Object.values(job.tasks).filter((t) => t.metadata.publishFolder === filename);
  const unfinished = tasks.filter((t) => t.status !== 'done');
  if (!tasks.length || unfinished.length) {
    throw new HandoffError('PUBLISH_NOT_LANDED', `${filename} has not fully landed (${tasks.length ? `${unfinished.length} of ${tasks.length} files not done` : 'no transfer task'})`, {
      hint: 'Retry the job so the upload completes.',
      details: { folder: filename },
    });
  }
  const differences: string[] = [];
  // Where the transfer core wrote each file (checked against the vendor's grants) must be the validated place.
  const astray = tasks.filter((t) => t.destination.path !== `${landing}/${String(t.metadata.file)}`).map((t) => t.destination.path);
  if (astray.length) differences.push(`${astray.length} file(s) landed outside ${landing}: ${few(astray)}`);
  const landed = await confinePath(hqRoot, landing);
  const files = await landedFiles(landed).catch((err: unknown) => {
    differences.push(isHandoffError(err) ? err.message : String(err));
    return [] as FolderFile[];
  });
  if (files.length) differences.push(...fileDifferences(validated.files, files));
  if (!differences.length) differences.push(...(await contentDifferences(validated.files, files, landed)));
  if (!differences.length) {
    differences.push(...mediaDifferences(validated.media, await Promise.all(validated.media.map((m) => readFrameFacts(landed, m.frame)))));
    differences.push(...(await recheck(meta, verdict, landed, services)));
  }
  if (differences.length) {
    throw new HandoffError('PUBLISH_LANDING_REJECTED', `${filename} is not what was validated: ${differences.join('; ')}`, {
      hint: 'Nothing of this folder was published. Fix the folder on your side and publish it again.',
      details: { folder: filename, landing, differences },
    });
  }
  return { verdict: { ...verdict, taskId, destination, landing, asset, version }, landed, files };
}

/** Collect and Validate again on the landed files; the folder must still pass and point at the same task and version. */
async function recheck(meta: PublishJobMetadata, verdict: FolderVerdict, landed: string, services: PrepublishServices): Promise<string[]> {
  const [tree] = await buildTree([landed]);
  const entry = { ...tree!, filename: verdict.filename };
  const response = await prepublish({ vendor: meta.vendor, user: meta.user, files: [entry] }, services, { localPaths: { [verdict.filename]: landed } });
  const [again] = response.folders;
  if (!again) return ['the landed folder could not be checked'];
  const errors = again.messages.filter((m) => m.level === 'error').map((m) => m.message);
  if (errors.length) return errors;
  const same = (['taskId', 'asset', 'version', 'destination'] as const).filter((key) => again[key] !== verdict[key]);
  return same.length ? [`the landed folder resolves to another ${same.join(', ')} than the one validated`] : [];
}
