/**
 * Media facts that travel with a drop: the vendor side reads one frame header
 * per image sequence (size, channels, compression) and sends it with the tree,
 * so HQ can judge the resolution before any byte moves; HQ reads the same
 * frames again once they have landed and refuses a folder whose frames differ.
 */
import path from 'node:path';
import { findSequences } from '../core/sequences/index.ts';
import { probeImage } from '../media/index.ts';
import type { FolderFile } from './folder-data.ts';
import { flattenFolder, groupByFolder } from './tree.ts';
import type { MediaFacts, TreeEntry } from './types.ts';

const IMAGE_EXTENSIONS = new Set(['exr', 'dpx', 'png', 'tif', 'tiff', 'jpg', 'jpeg', 'tga']);
/** Headers read per folder at most: a folder of many tiny sequences is judged by its first ones. */
const MAX_SEQUENCES = 32;

const isImage = (name: string): boolean => IMAGE_EXTENSIONS.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase());

/** The first frame of each image sequence of a folder, `/`-separated and relative to it. */
export function sequenceFrames(files: readonly FolderFile[]): string[] {
  const frames: string[] = [];
  for (const [dir, names] of groupByFolder(files)) {
    for (const seq of findSequences(names.filter(isImage)).sequences) {
      const [first] = seq.files;
      if (first !== undefined && frames.length < MAX_SEQUENCES) frames.push(dir ? `${dir}/${first}` : first);
    }
  }
  return frames;
}

/** The facts of one frame, from its header only; undefined when it is not a readable image. */
export async function readFrameFacts(folder: string, frame: string): Promise<MediaFacts | undefined> {
  try {
    const image = await probeImage(path.join(folder, ...frame.split('/')));
    return {
      frame, format: image.format, width: image.width, height: image.height,
      channels: image.exr ? image.exr.channels.map((c) => c.name) : [],
      ...(image.exr ? { compression: image.exr.compression } : {}),
    };
  } catch {
    return undefined;
  }
}

/** One header per sequence of a local folder (the vendor side). Unreadable frames are left for HQ to refuse. */
export async function readMediaFacts(folder: string, files: readonly FolderFile[]): Promise<MediaFacts[]> {
  const facts: MediaFacts[] = [];
  for (const frame of sequenceFrames(files)) {
    const read = await readFrameFacts(folder, frame);
    if (read) facts.push(read);
  }
  return facts;
}

/** Adds the frame facts to each dropped folder of a tree built from `folders` (same order). */
export async function attachMediaFacts(entries: TreeEntry[], folders: readonly string[]): Promise<TreeEntry[]> {
  for (const [i, entry] of entries.entries()) {
    const folder = folders[i];
    if (entry.is_dir && !entry.refused && folder) entry.media = await readMediaFacts(folder, flattenFolder(entry).files);
  }
  return entries;
}

const dimension = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 1 << 20;

/** Facts sent from outside, kept only when well-formed (HQ never trusts their shape). */
export function mediaFactsOf(value: unknown): MediaFacts[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_SEQUENCES).flatMap((item): MediaFacts[] => {
    const f = item as Partial<MediaFacts> | null;
    if (!f || typeof f.frame !== 'string' || typeof f.format !== 'string' || !dimension(f.width) || !dimension(f.height)) return [];
    const channels = Array.isArray(f.channels) ? f.channels.filter((c): c is string => typeof c === 'string').slice(0, 64) : [];
    return [{ frame: f.frame, format: f.format, width: f.width, height: f.height, channels, ...(typeof f.compression === 'string' ? { compression: f.compression } : {}) }];
  });
}

/** What differs between the facts a vendor sent and those read from the landed frames, for people. */
export function mediaDifferences(sent: readonly MediaFacts[], landed: readonly (MediaFacts | undefined)[]): string[] {
  return sent.flatMap((claim, i) => {
    const found = landed[i];
    if (!found) return [`${claim.frame}: sent as a ${claim.width}x${claim.height} ${claim.format} frame, but the landed file is not a readable image`];
    const problems: string[] = [];
    if (found.width !== claim.width || found.height !== claim.height) problems.push(`is ${found.width}x${found.height}, sent as ${claim.width}x${claim.height}`);
    if (found.format !== claim.format) problems.push(`is ${found.format}, sent as ${claim.format}`);
    if (found.channels.join(',') !== claim.channels.join(',')) problems.push(`has channels ${found.channels.join(',') || 'none'}, sent as ${claim.channels.join(',') || 'none'}`);
    if (found.compression !== claim.compression) problems.push(`is ${found.compression ?? 'uncompressed'}, sent as ${claim.compression ?? 'uncompressed'}`);
    return problems.length ? [`${claim.frame} ${problems.join(', ')}`] : [];
  });
}
