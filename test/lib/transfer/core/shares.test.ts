import { afterEach, describe, expect, it } from 'vitest';
import { createTransferCore } from '../../../../lib/transfer/core/index.ts';
import { tempRoots } from '../setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function core() {
  const tmp = await tempRoots();
  const c = createTransferCore({ dataDir: tmp.dataDir, roots: tmp.roots, schedule: false });
  cleanups.push(tmp.cleanup, () => c.close());
  return c;
}

describe('grants', () => {
  it('lets the most specific covering grant decide, folder by folder', async () => {
    const c = await core();
    c.grant({ vendor: 'CompersInc', path: 'scd', read: true, write: false });
    c.grant({ vendor: 'CompersInc', path: 'scd/0010/secret', read: false, write: false });
    c.grant({ vendor: 'CompersInc', path: 'scd/0010/upload', read: false, write: true });
    expect(() => c.checkAccess('CompersInc', 'scd/0010/plates/a.exr', 'read')).not.toThrow();
    expect(() => c.checkAccess('CompersInc', './scd//0010/plates/a.exr', 'read')).not.toThrow();
    const denied = (path: string, mode: 'read' | 'write') => expect(() => c.checkAccess('CompersInc', path, mode)).toThrow(expect.objectContaining({ code: 'TRANSFER_ACCESS_DENIED' }));
    denied('scd/0010/secret/key.txt', 'read');
    denied('scd/0010/plates/a.exr', 'write');
    denied('scd/0010/upload/x', 'read');
    denied('scdx/file', 'read'); // a sibling sharing a prefix is not covered
    denied('other/file', 'read');
    expect(() => c.checkAccess('OtherVendor', 'scd/0010/plates/a.exr', 'read')).toThrow(expect.objectContaining({ code: 'TRANSFER_ACCESS_DENIED' }));
    expect(() => c.checkAccess('CompersInc', '../scd/x', 'read')).toThrow(expect.objectContaining({ code: 'PATH_UNSAFE' }));
    expect(() => c.checkAccess('CompersInc', 'scd/0010/upload/x', 'write')).not.toThrow();
  });

  it('grants read on delivered sources, keeping a write bit, and never for uploads', async () => {
    const c = await core();
    c.grant({ vendor: 'CompersInc', path: 'shared/in', read: false, write: true });
    const job = c.ensureJob({ name: 'd', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, paused: true });
    c.appendTasks(job.id, [{ source: 'scd/0010/plates' }, { source: 'scd/0010/plates/a.exr' }, { source: 'shared/in' }]);
    expect(c.listGrants('CompersInc').map((g) => [g.path, g.read, g.write])).toEqual([
      ['scd/0010/plates', true, false],
      ['shared/in', true, true],
    ]);
    expect(() => c.grant({ vendor: '../evil', path: 'x', read: true, write: true })).toThrow(expect.objectContaining({ code: 'TRANSFER_VENDOR_INVALID' }));
  });
});
