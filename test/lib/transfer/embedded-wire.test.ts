/**
 * The scheduler driving the wire transport: the embedded core at HQ with a real
 * HQ listener and a vendor agent over TLS on loopback, enrolment state kept in
 * the core's database, the core's grants checked on every vendor path.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import { createLocalTransport } from '../../../lib/transfer/local/index.ts';
import { connectAgent, createHqIdentity, createHqListener, createWireTransport, enrolAgent } from '../../../lib/transfer/wire/index.ts';
import type { AgentRegistry } from '../../../lib/transfer/wire/index.ts';
import { testTransferAdapter } from '../../conformance/transfer.ts';
import { collect, listTree, sameFile, writeTree } from '../../conformance/transfer-helpers.ts';
import { tempRoots } from './setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const tmp = await tempRoots();
  cleanups.push(tmp.cleanup);
  const hqRoot = tmp.roots.hq.proj;
  const agentRoot = path.join(tmp.dir, 'agent');
  await mkdir(agentRoot);
  const core: { current?: EmbeddedTransfer } = {};
  // The listener's registry is the core's agent store (used only once the core exists).
  const agents = () => (core.current as EmbeddedTransfer).agents;
  const registry: AgentRegistry = {
    saveCode: (...args) => agents().saveCode(...args),
    takeCode: (...args) => agents().takeCode(...args),
    pin: (...args) => agents().pin(...args),
    isPinned: (...args) => agents().isPinned(...args),
  };
  const listener = await createHqListener({ host: '127.0.0.1', port: 0, identity: await createHqIdentity(['127.0.0.1']), registry, streams: 2 });
  cleanups.push(() => listener.close());
  const roots = { hq: { default: hqRoot } };
  const adapter = createEmbeddedTransfer({
    dataDir: tmp.dataDir,
    roots,
    transports: (access) => [
      createLocalTransport({ roots }),
      createWireTransport({ listener, volumes: { default: hqRoot }, access, tuning: { chunkSize: 64 * 1024 }, reconnectTimeoutMs: 10_000 }),
    ],
  });
  core.current = adapter;
  cleanups.push(() => adapter.close());
  const credentials = await enrolAgent({ hqUrl: listener.url, code: await listener.createEnrolmentCode('CompersInc') });
  const agent = await connectAgent({ hqUrl: listener.url, credentials, root: agentRoot });
  cleanups.push(() => agent.close());
  await agent.whenConnected(10_000);
  return { adapter, hqRoot, agentRoot, otherRoot: tmp.roots.vendors.OtherVendor };
}

testTransferAdapter('embedded over the wire', async () => {
  const { adapter, hqRoot, agentRoot, otherRoot } = await setup();
  return {
    adapter,
    hqRoot,
    vendorRoots: { CompersInc: agentRoot, OtherVendor: otherRoot },
    close: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
});

describe('embedded core over the wire', () => {
  it('delivers to a vendor agent and takes its upload back, inside its grants', async () => {
    const { adapter, hqRoot, agentRoot } = await setup();
    expect(adapter.agents.list().map((a) => a.vendor)).toEqual(['CompersInc']);
    const events = await collect(adapter);
    cleanups.push(async () => events.stop());
    await writeTree(hqRoot, { 'scd/0010/plates/a.1001.exr': 300_000, 'scd/0010/plates/a.1002.exr': 2_000, 'scd/0010/notes.txt': 50 });
    const delivery = await adapter.ensureJob({
      name: 'outsource',
      source: { kind: 'hq' },
      destination: { kind: 'vendor', vendor: 'CompersInc' },
      tasks: [{ source: 'scd/0010/plates' }, { source: 'scd/0010/notes.txt' }],
    });
    await events.until((e) => e.type === 'job.post-done' && e.job.id === delivery.id);
    expect(await listTree(agentRoot)).toEqual(['scd/0010/notes.txt', 'scd/0010/plates/a.1001.exr', 'scd/0010/plates/a.1002.exr']);
    for (const file of await listTree(agentRoot)) expect(await sameFile(path.join(hqRoot, file), path.join(agentRoot, file))).toBe(true);

    await adapter.ensureShare({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
    await writeTree(agentRoot, { 'scd_0010_cleanup_v001/frame.1001.exr': 150_000 });
    const upload = await adapter.ensureJob({
      name: 'upload',
      source: { kind: 'vendor', vendor: 'CompersInc' },
      destination: { kind: 'hq' },
      mirrorPaths: false,
      tasks: [{ source: 'scd_0010_cleanup_v001', destination: '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_cleanup_v001' }],
    });
    await events.until((e) => e.type === 'job.post-done' && e.job.id === upload.id);
    const landed = await readFile(path.join(hqRoot, '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_cleanup_v001/frame.1001.exr'));
    expect(landed.equals(await readFile(path.join(agentRoot, 'scd_0010_cleanup_v001/frame.1001.exr')))).toBe(true);
    await expect(
      adapter.appendTasks(upload.id, [{ source: 'scd_0010_cleanup_v001', destination: 'scd/0010/plates/overwrite' }]),
    ).rejects.toMatchObject({ code: 'TRANSFER_ACCESS_DENIED' });
  });
});
