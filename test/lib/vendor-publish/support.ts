/** Vendor drops as data: folders of frames for the demo studio's tasks. */
import type { TreeEntry, VendorInfo } from '../../../lib/vendor-publish/index.ts';

export const compers: VendorInfo = { code: 'CompersInc', group: 'Compers Inc', users: ['emma@compersinc.example'] };
export const emma = 'emma@compersinc.example';

export function frames(name: string, first: number, last: number, options: { ext?: string; size?: number; skip?: number[]; pad?: number } = {}): TreeEntry[] {
  const { ext = 'exr', size = 1000, skip = [], pad = 4 } = options;
  const out: TreeEntry[] = [];
  for (let f = first; f <= last; f++) {
    if (!skip.includes(f)) out.push({ filename: `${name}.${String(f).padStart(pad, '0')}.${ext}`, is_dir: false, size });
  }
  return out;
}

export function folder(filename: string, files: TreeEntry[], id?: string): TreeEntry {
  return { ...(id ? { id } : {}), filename, is_dir: true, size: files.reduce((s, f) => s + f.size, 0), files };
}

/** scd 0010/0010 cleanup covers 993-1108 (1001-1100 with 8 handle frames). */
export function cleanupFolder(name = 'scd_0010_0010_cleanup_v001', options: Parameters<typeof frames>[3] = {}): TreeEntry {
  return folder(name, frames(`${name}`, 993, 1108, options));
}
