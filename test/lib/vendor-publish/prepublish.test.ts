import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTracker, loadStudioSeed } from '../../../lib/tracker/index.ts';
import type { MemoryTracker } from '../../../lib/tracker/index.ts';
import { prepublish } from '../../../lib/vendor-publish/index.ts';
import type { FolderVerdict, TreeEntry } from '../../../lib/vendor-publish/index.ts';
import { cleanupFolder, compers, emma, folder, frames } from './support.ts';

let tracker: MemoryTracker;
beforeEach(async () => {
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
});
afterEach(() => tracker.close());

async function verdicts(files: TreeEntry[]): Promise<FolderVerdict[]> {
  return (await prepublish({ vendor: compers, user: emma, files }, { tracker })).folders;
}

function errors(v: FolderVerdict | undefined) {
  return (v?.messages ?? []).filter((m) => m.level === 'error');
}

describe('prepublish', () => {
  it('accepts a complete folder for the vendor’s task, with its destination and the fields to fill', async () => {
    const response = await prepublish({ vendor: compers, user: emma, files: [{ ...cleanupFolder(), id: 'row-1' }] }, { tracker });
    expect(response.folders).toEqual([expect.objectContaining({
      id: 'row-1', filename: 'scd_0010_0010_cleanup_v001', ident: 'scd / 0010 / 0010 / cleanup / v001', verdict: 'can_publish', can_publish: true,
      asset: 'scd_0010_0010_cleanup', version: 1, files: 116, size: 116_000,
      destination: 'scd/0010/0010/publish/cleanup/scd_0010_0010_cleanup_v001',
      landing: '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_0010_cleanup_v001',
    })]);
    expect(response.fields).toEqual({ comment: true, timeReport: true, statuses: [{ label: 'Pending review', value: 'Pending review', default: true }, { label: 'In progress', value: 'In progress' }] });
    expect(errors(response.folders[0])).toEqual([]);
  });

  it('names the missing frames compactly, against the shot range with handles', async () => {
    const [v] = await verdicts([cleanupFolder(undefined, { skip: [1007, 1008, 1009, 1050] })]);
    expect(v?.verdict).toBe('rejected');
    expect(errors(v)).toEqual([expect.objectContaining({ title: 'Frames missing', source: 'validate-frames' })]);
    expect(errors(v)[0]?.message).toContain('lacks frames 1007-1009, 1050');
    const [short] = await verdicts([folder('scd_0010_0010_cleanup_v001', frames('scd_0010_0010_cleanup_v001', 1001, 1100))]);
    expect(errors(short)[0]?.message).toContain('993-1000, 1101-1108');
    expect(errors(short)[0]?.hint).toContain('993-1108 (handles included)');
  });

  it('refuses mixed frame padding', async () => {
    const files = [...frames('x', 993, 1050), ...frames('x', 1051, 1108, { pad: 5 })];
    const [v] = await verdicts([folder('scd_0010_0010_cleanup_v001', files)]);
    expect(errors(v).map((m) => m.title)).toContain('Frame padding inconsistent');
    expect(errors(v)[0]?.message).toContain('mixes frame paddings 4 and 5');
  });

  it('says what a near-miss name probably meant', async () => {
    const [v] = await verdicts([cleanupFolder('scd-0010-0010-Cleanup-v1')]);
    expect(v?.verdict).toBe('rejected');
    expect(errors(v)).toHaveLength(1);
    expect(errors(v)[0]).toMatchObject({ title: 'Folder name does not fit the naming rule', hint: 'Rename the folder to scd_0010_0010_cleanup_v001.' });
    expect(errors(v)[0]?.message).toContain('Did you mean scd_0010_0010_cleanup_v001?');
  });

  it('says once that a name far from the template does not follow it', async () => {
    const [v] = await verdicts([folder('$(touch x)', frames('x', 993, 1108))]);
    expect(errors(v)).toEqual([expect.objectContaining({
      title: 'Folder name does not fit the naming rule',
      message: '$(touch x) does not follow {project}_{sequence}_{shot}_{task}_v{version:03}.',
    })]);
  });

  it('refuses a task of someone else and a task that does not exist', async () => {
    const [other, unknown] = await verdicts([
      folder('scd_0010_0010_compositing_v001', frames('comp', 993, 1108)),
      folder('scd_0010_0099_cleanup_v001', frames('x', 1, 3)),
    ]);
    expect(errors(other)).toEqual([expect.objectContaining({ title: 'Task not assigned to you', message: 'scd / 0010 / 0010 / compositing is assigned to Finn Artist, not to Compers Inc.' })]);
    expect(errors(unknown)).toEqual([expect.objectContaining({ title: 'Unknown task', message: 'There is no task scd / 0010 / 0099 / cleanup in the tracker.' })]);
  });

  it('recognises the vendor by its group as well as by its people', async () => {
    const [v] = await verdicts([cleanupFolder()]);
    expect(v?.verdict).toBe('can_publish');
    const byGroup = await prepublish({ vendor: { ...compers, users: [] }, user: emma, files: [cleanupFolder()] }, { tracker });
    expect(byGroup.folders[0]?.verdict).toBe('can_publish');
    const other = { code: 'Other', users: ['cora@acmevfx.example'] };
    const stranger = await prepublish({ vendor: other, user: 'cora@acmevfx.example', files: [cleanupFolder()] }, { tracker });
    expect(errors(stranger.folders[0])[0]?.title).toBe('Task not assigned to you');
    await expect(prepublish({ vendor: other, user: emma, files: [cleanupFolder()] }, { tracker })).rejects.toMatchObject({ code: 'PUBLISH_AUTHOR_DENIED' });
  });

  it('wants the next version and lists the ones that exist', async () => {
    const [skipped] = await verdicts([cleanupFolder('scd_0010_0010_cleanup_v003')]);
    expect(errors(skipped)).toEqual([expect.objectContaining({
      title: 'Version out of order', message: 'v003 skips versions: scd_0010_0010_cleanup has no versions yet. The next version is v001.',
      hint: 'Rename the folder to scd_0010_0010_cleanup_v001.',
    })]);
    const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    await tracker.publishVersion({ taskId: task!.task.id, asset: 'scd_0010_0010_cleanup', idempotencyKey: 'k1', components: [] });
    const [taken] = await verdicts([cleanupFolder('scd_0010_0010_cleanup_v001')]);
    expect(errors(taken)[0]).toMatchObject({ title: 'Version already exists', message: 'v001 is already published: scd_0010_0010_cleanup has v001. The next version is v002.' });
  });

  it('leaves junk out with a note and refuses empty files and foreign types', async () => {
    const junk = [{ filename: '.DS_Store', is_dir: false, size: 6148 }, { filename: 'Thumbs.db', is_dir: false, size: 10 }];
    const [clean] = await verdicts([folder('scd_0010_0010_cleanup_v001', [...frames('x', 993, 1108), ...junk]), { filename: '.DS_Store', is_dir: false, size: 1 }]);
    expect(clean?.verdict).toBe('can_publish');
    expect(clean?.files).toBe(116);
    expect(clean?.messages).toContainEqual(expect.objectContaining({ level: 'info', source: 'ignore-junk-files', message: 'left out 2 junk file(s): .DS_Store, Thumbs.db' }));
    const bad = [...frames('x', 993, 1108, { skip: [1000] }), { filename: 'x.1000.exr', is_dir: false, size: 0 }, { filename: 'notes.txt', is_dir: false, size: 5 }];
    const [v] = await verdicts([folder('scd_0010_0010_cleanup_v001', bad)]);
    expect(errors(v).map((m) => m.title)).toEqual(['File type not allowed', 'Empty files']);
    expect(errors(v)[0]?.message).toContain('.txt (1: notes.txt)');
    expect(errors(v)[1]?.message).toContain('x.1000.exr');
  });

  it('refuses a folder that holds nothing but junk', async () => {
    const [v] = await verdicts([folder('scd_0010_0010_cleanup_v001', [{ filename: '.DS_Store', is_dir: false, size: 6148 }])]);
    expect(v?.verdict).toBe('rejected');
    expect(errors(v)).toEqual([expect.objectContaining({ title: 'Empty folder', message: 'scd_0010_0010_cleanup_v001 holds no files to publish.' })]);
  });

  it('names the five most common foreign file types of a wrong folder and counts the rest', async () => {
    const stray = ['txt', 'txt', 'conf', 'sh', 'py', 'xml', 'pem', 'gz'].map((ext, i) => ({ filename: `f${i}.${ext}`, is_dir: false, size: 5 }));
    const [v] = await verdicts([folder('scd_0010_0010_cleanup_v001', [...frames('x', 993, 1108), ...stray])]);
    const message = errors(v).find((m) => m.title === 'File type not allowed')?.message ?? '';
    expect(message.startsWith('scd_0010_0010_cleanup_v001 holds file types a cleanup task does not deliver: .txt (2: f0.txt, f1.txt); ')).toBe(true);
    expect(message.endsWith(' and 2 more types.')).toBe(true);
    expect(message.split('; ')).toHaveLength(5);
  });

  it('flags a frame far smaller than the others as possibly truncated', async () => {
    const files = frames('x', 993, 1108).map((f) => (f.filename === 'x.1050.exr' ? { ...f, size: 20 } : f));
    const [v] = await verdicts([folder('scd_0010_0010_cleanup_v001', files)]);
    expect(v?.verdict).toBe('warning');
    expect(v?.can_publish).toBe(true);
    expect(v?.messages.find((m) => m.level === 'warning')?.message).toContain('x.1050.exr');
  });

  it('rejects hostile paths and loose files, and still checks the other folders', async () => {
    const hostile = [
      folder('scd_0010_0010_cleanup_v001', [...frames('x', 993, 1108), { filename: '..', is_dir: true, size: 1, files: [{ filename: 'passwd', is_dir: false, size: 1 }] }]),
      folder('/etc', frames('x', 1, 2)),
      folder('scd_0010_0020_roto_v001', [...frames('r', 993, 1056), { filename: 'bell\u0007.exr', is_dir: false, size: 3 }]),
      { filename: 'readme.txt', is_dir: false, size: 4 },
      folder('scd_0010_0010_cleanup_v001', [{ filename: 'link.exr', is_dir: false, size: 0, refused: 'Symlink "link.exr" points outside the folder' }]),
    ];
    const out = await verdicts(hostile);
    expect(out.map((v) => v.verdict)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(out.map((v) => errors(v)[0]?.title)).toEqual(['Unsafe paths', 'Unsafe paths', 'Unsafe paths', 'Not a folder', 'Unsafe paths']);
    expect(errors(out[0])[0]?.message).toContain('".."');
    expect(errors(out[4])[0]?.message).toContain('points outside');
    expect(out.every((v) => v.destination === undefined)).toBe(true);
  });

  it('treats malformed entries inside a folder as unsafe instead of failing', async () => {
    const odd = { filename: 'scd_0010_0010_cleanup_v001', is_dir: true, size: 0, files: [null, 'x'] } as unknown as TreeEntry;
    const [v] = await verdicts([odd, { filename: 'weird', is_dir: true, size: 0, files: 'nope' } as unknown as TreeEntry]);
    expect(errors(v)[0]).toMatchObject({ title: 'Unsafe paths' });
  });

  it('refuses a request without vendor, user or folders, listing every problem', async () => {
    await expect(prepublish({ vendor: { code: '', users: [] }, user: '', files: [] }, { tracker })).rejects.toMatchObject({
      code: 'PUBLISH_REQUEST_INVALID',
      details: { problems: ['vendor.code: required', 'user: required (the username or email of the person publishing)', 'files: nothing to publish; drop at least one folder'] },
    });
    await expect(prepublish({ vendor: compers, user: 'nobody@x.example', files: [cleanupFolder()] }, { tracker })).rejects.toMatchObject({ code: 'PUBLISH_USER_NOT_FOUND' });
  });
});
