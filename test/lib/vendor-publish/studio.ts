/** A one-shot studio small enough for real media: shot 0010/0010 is 1001-1010, 64x36. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StudioSeedInput } from '../../../lib/tracker/index.ts';
import { exrSequence } from '../../support/media-fixtures.ts';

export const tinySeed: StudioSeedInput = {
  users: [
    { username: 'cora@acmevfx.example', name: 'Cora Coordinator', email: 'cora@acmevfx.example', groups: ['Coordinators'] },
    { username: 'emma@compersinc.example', name: 'Emma Compers', email: 'emma@compersinc.example', groups: ['Compers Inc'] },
  ],
  statuses: [
    { name: 'Outsourced', state: 'in_progress' },
    { name: 'In progress', state: 'in_progress' },
    { name: 'Pending review', state: 'in_progress' },
  ],
  taskTypes: ['Cleanup'],
  projects: [{
    name: 'scd', fullName: 'Something Completely Different', fps: 24, resolution: { width: 64, height: 36 }, root: 'scd',
    sequences: [{ name: '0010', shots: [{ name: '0010', frames: { start: 1001, end: 1010, handles: 0 },
      tasks: [{ name: 'cleanup', type: 'Cleanup', status: 'Outsourced', assignees: ['emma@compersinc.example'] }] }] }],
  }],
};

/** The vendor's result folder: 10 EXR frames 1001-1010 and a .DS_Store. */
export async function vendorResult(vendorRoot: string, name = 'scd_0010_0010_cleanup_v001'): Promise<string> {
  const folder = path.join(vendorRoot, name);
  await mkdir(folder, { recursive: true });
  await exrSequence(folder, { first: 1001, count: 10 });
  await writeFile(path.join(folder, '.DS_Store'), 'junk');
  return folder;
}
