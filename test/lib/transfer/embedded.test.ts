import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import { testTransferAdapter } from '../../conformance/transfer.ts';

testTransferAdapter('embedded', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-embedded-'));
  const roots = { hq: { proj: path.join(dir, 'hq') }, vendors: { CompersInc: path.join(dir, 'compers'), OtherVendor: path.join(dir, 'other') } };
  for (const root of [roots.hq.proj, roots.vendors.CompersInc, roots.vendors.OtherVendor]) await mkdir(root, { recursive: true });
  const adapter = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots });
  return {
    adapter,
    hqRoot: roots.hq.proj,
    vendorRoots: roots.vendors,
    async close() {
      await adapter.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
