/**
 * The vendor agent over a real HQ listener and embedded core on loopback:
 * enrolment into a home folder (0600 files), deliveries landing in the root
 * with mirrored paths, status.json kept current, a restart that resends
 * nothing, and the errors a person meets (not enrolled, enrolled twice,
 * another agent running, a code used twice).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentFiles, agentReport, enrolAgentHome, readAgentStatus, runAgent } from '../../../lib/agent/index.ts';
import type { AgentStatusFile } from '../../../lib/agent/index.ts';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import { createHqIdentity, createHqListener, createWireTransport } from '../../../lib/transfer/wire/index.ts';
import type { AgentRegistry } from '../../../lib/transfer/wire/index.ts';
import { collect, listTree, sameFile, writeTree } from '../../conformance/transfer-helpers.ts';
import { tempRoots } from '../transfer/setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hq() {
  const tmp = await tempRoots();
  cleanups.push(tmp.cleanup);
  const hqRoot = tmp.roots.hq.proj;
  const core: { current?: EmbeddedTransfer } = {};
  const agents = () => (core.current as EmbeddedTransfer).agents;
  const registry: AgentRegistry = {
    saveCode: (...a) => agents().saveCode(...a),
    takeCode: (...a) => agents().takeCode(...a),
    pin: (...a) => agents().pin(...a),
    isPinned: (...a) => agents().isPinned(...a),
    agentOf: (...a) => agents().agentOf(...a),
  };
  const listener = await createHqListener({ host: '127.0.0.1', port: 0, identity: await createHqIdentity(['127.0.0.1']), registry, streams: 2 });
  cleanups.push(() => listener.close());
  const roots = { hq: { proj: hqRoot } };
  const adapter = createEmbeddedTransfer({
    dataDir: tmp.dataDir,
    roots,
    transports: (access) => [createWireTransport({ listener, volumes: { proj: hqRoot }, access, tuning: { chunkSize: 64 * 1024 }, reconnectTimeoutMs: 10_000 })],
  });
  core.current = adapter;
  cleanups.push(() => adapter.close());
  return { adapter, listener, hqRoot, home: path.join(tmp.dir, 'agent-home'), root: path.join(tmp.dir, 'vendor') };
}

describe('handoff agent', () => {
  it('enrols, receives a delivery with mirrored paths, keeps its status, and resends nothing after a restart', async () => {
    const { adapter, listener, hqRoot, home, root } = await hq();
    await expect(runAgent({ home })).rejects.toMatchObject({ code: 'AGENT_NOT_ENROLLED' });
    const code = await listener.createEnrolmentCode('CompersInc');
    const settings = await enrolAgentHome({ home, hqUrl: listener.url, serverUrl: 'http://127.0.0.1:1', code, root });
    expect(settings).toMatchObject({ vendor: 'CompersInc', root, hqUrl: listener.url });
    for (const file of Object.values(agentFiles(home)).slice(0, 2)) expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(enrolAgentHome({ home, hqUrl: listener.url, code, root })).rejects.toMatchObject({ code: 'AGENT_ALREADY_ENROLLED' });

    const seen: AgentStatusFile[] = [];
    const waiters = new Set<() => void>();
    /** Resolves once the statuses seen so far satisfy `done` (checked on every change). */
    const statusWhere = (done: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`status never matched; saw ${seen.map((s) => s.state).join(', ')}`)), 15_000);
        const check = (): void => {
          if (!done()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    const agent = await runAgent({
      home,
      onChange: (status) => {
        seen.push(status);
        for (const check of [...waiters]) check();
      },
    });
    await agent.whenConnected(10_000);
    await agent.flushed();
    expect((await agentReport(home))).toMatchObject({ vendor: 'CompersInc', running: true, connected: true, root });

    const events = await collect(adapter);
    cleanups.push(async () => events.stop());
    await writeTree(hqRoot, { 'scd/0010/0010/src/plates/p.1001.exr': 400_000, 'scd/0010/0010/src/plates/p.1002.exr': 3_000 });
    const job = await adapter.ensureJob({ name: 'delivery', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: 'scd/0010/0010/src/plates' }] });
    await events.until((e) => e.type === 'job.post-done' && e.job.id === job.id);
    const files = await listTree(root);
    expect(files).toEqual(['scd/0010/0010/src/plates/p.1001.exr', 'scd/0010/0010/src/plates/p.1002.exr']);
    for (const file of files) expect(await sameFile(path.join(hqRoot, file), path.join(root, file))).toBe(true);
    expect(agent.status()).toMatchObject({ state: 'connected', filesReceived: 2, bytesReceived: 403_000, transfers: [] });
    // While the large file moved, the status listed it as a current transfer.
    expect(seen.some((s) => s.transfers.some((t) => t.path === 'scd/0010/0010/src/plates/p.1001.exr' && t.direction === 'receiving' && t.size === 400_000))).toBe(true);

    // A cut connection: the agent says so, comes back by itself, and receives again.
    const cutAt = seen.length;
    const back = statusWhere(() => {
      const states = seen.slice(cutAt).map((s) => s.state);
      return states.includes('disconnected') && states.lastIndexOf('connected') > states.indexOf('disconnected');
    });
    listener.disconnectAll();
    await back;
    await writeTree(hqRoot, { 'scd/0010/0010/src/ref/r.jpg': 1_000 });
    const afterCut = await adapter.ensureJob({ name: 'after the cut', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: 'scd/0010/0010/src/ref' }] });
    await events.until((e) => e.type === 'job.post-done' && e.job.id === afterCut.id);
    expect(await listTree(path.join(root, 'scd/0010/0010/src/ref'))).toEqual(['r.jpg']);

    await agent.close();
    expect(await readAgentStatus(home)).toMatchObject({ state: 'stopped' });
    expect(await agentReport(home)).toMatchObject({ running: false, connected: false });

    // Restarted: what arrived is not sent again; only the new delivery moves.
    const again = await runAgent({ home });
    cleanups.push(() => again.close());
    await again.whenConnected(10_000);
    await writeTree(hqRoot, { 'scd/0010/0020/src/plates/q.1001.exr': 5_000 });
    const next = await adapter.ensureJob({ name: 'delivery 2', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: 'scd/0010/0020/src/plates' }] });
    await events.until((e) => e.type === 'job.post-done' && e.job.id === next.id);
    expect(again.status()).toMatchObject({ filesReceived: 1, bytesReceived: 5_000 });
    expect((await adapter.getJob(job.id))?.status).toBe('done');
  });

  it('refuses to run twice from one home and to reuse a code', async () => {
    const { listener, home, root } = await hq();
    const code = await listener.createEnrolmentCode('CompersInc');
    await enrolAgentHome({ home, hqUrl: listener.url, code, root });
    const refusedRoot = `${root}-refused`;
    await expect(enrolAgentHome({ home: `${home}-2`, hqUrl: listener.url, code, root: refusedRoot })).rejects.toMatchObject({ code: 'WIRE_ENROL_REFUSED' });
    // A failed enrolment leaves no folders behind.
    for (const left of [`${home}-2`, refusedRoot]) await expect(stat(left)).rejects.toMatchObject({ code: 'ENOENT' });
    await mkdir(home, { recursive: true });
    // Another live process (this test's parent) holds the home.
    await writeFile(agentFiles(home).status, JSON.stringify({ pid: process.ppid, state: 'connected', since: new Date().toISOString(), filesReceived: 0, bytesReceived: 0, transfers: [] }));
    await expect(runAgent({ home })).rejects.toMatchObject({ code: 'AGENT_ALREADY_RUNNING' });
  });

  it('stops with AGENT_REVOKED once a newer enrolment replaced it by name, and not before', async () => {
    const { listener, home, root } = await hq();
    await enrolAgentHome({ home, hqUrl: listener.url, code: await listener.createEnrolmentCode('CompersInc'), root, name: 'ws-01' });
    const agent = await runAgent({ home });
    cleanups.push(() => agent.close());
    await agent.whenConnected(10_000);
    await enrolAgentHome({ home: `${home}-new`, hqUrl: listener.url, code: await listener.createEnrolmentCode('CompersInc'), root, name: 'ws-02', replace: 'ws-01' });
    await expect(agent.refused).resolves.toMatchObject({ code: 'AGENT_REVOKED' });
    await agent.flushed();
    expect(await readAgentStatus(home)).toMatchObject({ state: 'revoked', reason: expect.stringContaining('WIRE_AGENT_REVOKED') });
  });
});
