import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectSameTree, listAndSend, makeTree, memoryLedger, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const TREE = {
  'shots/sh010/plate.0001.exr': 300 * 1024 + 17,
  'shots/sh010/plate.0002.exr': 200 * 1024,
  'shots/sh010/notes.txt': 900,
  'shots/sh020/empty.txt': 0,
  'shots/sh020/deep/a/b/c.bin': 64 * 1024,
  'shots/sh020/deep/a/b/d.bin': 64 * 1024 + 1,
  'shots/readme.md': 5000,
};

describe('wire transport', () => {
  let wire: Wire | undefined;
  afterEach(async () => {
    await wire?.cleanup();
    wire = undefined;
  });

  it('delivers a tree HQ → agent byte-identical with mtimes', async () => {
    wire = await startWire();
    await makeTree(path.join(wire.hqRoot, 'proj'), TREE);
    const ledger = memoryLedger();
    const outcome = await listAndSend(wire.transport, { kind: 'hq' }, { kind: 'vendor', vendor: 'CompersInc' }, [
      { taskId: 't1', source: 'proj/shots', destination: 'proj/shots' },
    ], ledger);
    expect(outcome.failed).toEqual([]);
    expect(outcome.done).toHaveLength(Object.keys(TREE).length);
    expect(await expectSameTree(path.join(wire.hqRoot, 'proj'), path.join(wire.vendorRoot, 'proj'))).toBe(7);
    const total = Object.values(TREE).reduce((a, b) => a + b, 0);
    expect(outcome.progress.get('t1')).toBe(total);
    expect(ledger.chunks.size).toBe(0);
  });

  it.each(['deliver', 'upload'] as const)('%s: a small file gone since listing fails alone, and every file is reported exactly once', async (direction) => {
    wire = await startWire();
    const hq = { kind: 'hq' } as const;
    const vendor = { kind: 'vendor', vendor: 'CompersInc' } as const;
    const [from, to, root] = direction === 'deliver' ? [hq, vendor, wire.hqRoot] : [vendor, hq, wire.vendorRoot];
    await makeTree(path.join(root, 'proj'), TREE);
    const signal = new AbortController().signal;
    const files = await wire.transport.list(from, [{ taskId: 't1', source: 'proj/shots', destination: 'proj/shots' }], signal);
    await rm(path.join(root, 'proj/shots/sh010/notes.txt'));
    const reports = new Map<string, boolean[]>();
    await wire.transport.send(files, {
      from,
      to,
      ledger: memoryLedger(),
      signal,
      onProgress: () => undefined,
      onFileDone: (file, result) => reports.set(file.source, [...(reports.get(file.source) ?? []), result.ok]),
    });
    expect(reports.size).toBe(Object.keys(TREE).length);
    for (const [source, results] of reports) expect(results, source).toEqual([!source.endsWith('notes.txt')]);
  });

  it('uploads a tree agent → HQ byte-identical with mtimes', async () => {
    wire = await startWire();
    await makeTree(path.join(wire.vendorRoot, 'FROM_CLIENT'), TREE);
    const outcome = await listAndSend(wire.transport, { kind: 'vendor', vendor: 'CompersInc' }, { kind: 'hq' }, [
      { taskId: 'up', source: 'FROM_CLIENT/shots', destination: 'vendors/CompersInc/FROM_CLIENT/shots' },
    ]);
    expect(outcome.failed).toEqual([]);
    expect(await expectSameTree(path.join(wire.vendorRoot, 'FROM_CLIENT'), path.join(wire.hqRoot, 'vendors/CompersInc/FROM_CLIENT'))).toBe(7);
  });

  it.each(['deliver', 'upload'] as const)('%s: a folder removed at the receiving end after a first send is made again for the next', async (direction) => {
    wire = await startWire();
    const hq = { kind: 'hq' } as const;
    const vendor = { kind: 'vendor', vendor: 'CompersInc' } as const;
    const [from, to, root, other] = direction === 'deliver' ? [hq, vendor, wire.hqRoot, wire.vendorRoot] : [vendor, hq, wire.vendorRoot, wire.hqRoot];
    await makeTree(path.join(root, 'proj'), TREE);
    const request = [{ taskId: 't1', source: 'proj/shots', destination: 'proj/shots' }];
    expect((await listAndSend(wire.transport, from, to, request)).failed).toEqual([]);
    // Someone clears the landing area between two sends (the receiving end had proven these folders).
    await rm(path.join(other, 'proj'), { recursive: true });
    const again = await listAndSend(wire.transport, from, to, request);
    expect(again.failed).toEqual([]);
    expect(await expectSameTree(path.join(root, 'proj'), path.join(other, 'proj'))).toBe(7);
  });
});
