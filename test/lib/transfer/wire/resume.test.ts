import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, createWireTransport } from '../../../../lib/transfer/wire/index.ts';
import { expectSameTree, listAndSend, listFiles, makeTree, memoryLedger, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const HQ = { kind: 'hq' } as const;
const VENDOR = { kind: 'vendor', vendor: 'CompersInc' } as const;
const CHUNK = 64 * 1024;
const WINDOW = 8;
/** 4 files × 16 chunks. */
const TREE = { 'seq/f1.bin': 16 * CHUNK, 'seq/f2.bin': 16 * CHUNK, 'seq/f3.bin': 16 * CHUNK - 5, 'seq/f4.bin': 16 * CHUNK };
const TOTAL_CHUNKS = 64;
const TOTAL_BYTES = Object.values(TREE).reduce((a, b) => a + b, 0);

describe('wire resume and verification', () => {
  let wire: Wire | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    await wire?.cleanup();
    wire = undefined;
  });

  it('detects a chunk corrupted in flight and sends it again', async () => {
    wire = await startWire({ faults: { corruptChunk: (_file, index, attempt) => index === 3 && attempt === 0 } });
    await makeTree(wire.hqRoot, TREE);
    const outcome = await listAndSend(wire.transport, HQ, VENDOR, [{ taskId: 't', source: 'seq', destination: 'seq' }]);
    expect(outcome.failed).toEqual([]);
    await expectSameTree(wire.hqRoot, wire.vendorRoot);
    const stats = wire.transport.stats();
    expect(stats.chunksResent).toBe(4);
    expect(stats.chunksSent).toBe(TOTAL_CHUNKS + 4);
    expect(outcome.progress.get('t')).toBe(TOTAL_BYTES);
  });

  it('resumes after an abort from the ledger, re-sending only what was in flight, and catches a partial corrupted on disk', async () => {
    wire = await startWire({ tuning: { chunkSize: CHUNK, window: WINDOW, filesInFlight: 2 } });
    const tree = { 'seq/f1.bin': 32 * CHUNK, 'seq/f2.bin': 32 * CHUNK + 3, 'seq/f3.bin': 32 * CHUNK };
    const totalBytes = Object.values(tree).reduce((a, b) => a + b, 0);
    await makeTree(wire.hqRoot, tree);
    const ledger = memoryLedger();
    const files = await wire.transport.list(HQ, [{ taskId: 't', source: 'seq', destination: 'seq' }], new AbortController().signal);
    const stop = new AbortController();
    const finished = new Set<string>();
    let sent = 0;
    const options = {
      from: HQ,
      to: VENDOR,
      ledger,
      onFileDone: (file: { source: string }, result: { ok: boolean }) => void (result.ok && finished.add(file.source)),
    };
    const first = wire.transport.send(files, {
      ...options,
      signal: stop.signal,
      onProgress: (_task, bytes) => {
        sent += bytes;
        if (sent >= totalBytes * 0.25) stop.abort();
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'TRANSFER_ABORTED' });
    const marked = [...ledger.chunks.values()].reduce((sum, chunks) => sum + chunks.size, 0);
    const remaining = files.filter((file) => !finished.has(file.source));
    const remainingChunks = remaining.reduce((sum, file) => sum + Math.ceil(file.size / CHUNK), 0);
    expect(remainingChunks - marked).toBeLessThanOrEqual(Math.ceil(totalBytes / CHUNK) * 0.75 + WINDOW);
    expect(finished.size).toBe(0);
    // Nothing unverified is in place: every finished file equals its source.
    for (const relative of await listFiles(wire.vendorRoot)) {
      expect((await readFile(path.join(wire.vendorRoot, relative))).equals(await readFile(path.join(wire.hqRoot, relative)))).toBe(true);
    }
    // Damage one verified chunk inside a partial file.
    const damaged = [...ledger.chunks.entries()].find(([, chunks]) => chunks.size > 0);
    expect(damaged).toBeDefined();
    const plan = remaining.find((file) => damaged![0].includes(`:${file.destination}:`))!;
    const index = [...damaged![1].keys()][0]!;
    const partial = path.join(wire.vendorRoot, path.dirname(plan.destination), `.${path.basename(plan.destination)}.handoff-partial`);
    const handle = await open(partial, 'r+');
    await handle.write(Buffer.from('damage'), 0, 6, index * CHUNK + 10);
    await handle.close();

    const before = wire.transport.stats().chunksSent;
    let progress = 0;
    await wire.transport.send(remaining, { ...options, signal: new AbortController().signal, onProgress: (_task, bytes) => (progress += bytes) });
    expect(finished.size).toBe(files.length);
    await expectSameTree(wire.hqRoot, wire.vendorRoot);
    expect(wire.transport.stats().chunksSent - before).toBe(remainingChunks - marked + 1);
    expect(progress).toBe(remaining.reduce((sum, file) => sum + file.size, 0));
  });

  it('carries on by itself when the link is cut', async () => {
    wire = await startWire({ tuning: { chunkSize: CHUNK, window: WINDOW } });
    await makeTree(wire.hqRoot, TREE);
    let sent = 0;
    let cut = false;
    const outcome = await listAndSend(wire.transport, HQ, VENDOR, [{ taskId: 't', source: 'seq', destination: 'seq' }], memoryLedger(), {
      onProgress: (_task, bytes) => {
        sent += bytes;
        if (!cut && sent >= TOTAL_BYTES / 3) {
          cut = true;
          wire!.listener.disconnectAll();
        }
      },
    });
    expect(cut).toBe(true);
    expect(outcome.failed).toEqual([]);
    await expectSameTree(wire.hqRoot, wire.vendorRoot);
    expect(wire.transport.stats().chunksSent).toBeLessThanOrEqual(TOTAL_CHUNKS + WINDOW);
  });

  /** Sends the tree one way and drops one data connection a third of the way through. */
  async function sendDroppingOneConnection(direction: 'deliver' | 'upload') {
    wire = await startWire({ tuning: { chunkSize: CHUNK, window: WINDOW } });
    const [from, to, fromRoot, toRoot] = direction === 'deliver' ? [HQ, VENDOR, wire.hqRoot, wire.vendorRoot] : [VENDOR, HQ, wire.vendorRoot, wire.hqRoot];
    await makeTree(fromRoot, TREE);
    let sent = 0;
    let dropped = false;
    const outcome = await listAndSend(wire.transport, from, to, [{ taskId: direction, source: 'seq', destination: 'seq' }], memoryLedger(), {
      onProgress: (_task, bytes) => {
        sent += bytes;
        if (!dropped && sent >= TOTAL_BYTES / 3) {
          dropped = true;
          wire!.listener.session('CompersInc')!.connections()[0]!.destroy();
        }
      },
    });
    expect(dropped).toBe(true);
    expect(outcome.failed).toEqual([]);
    await expectSameTree(fromRoot, toRoot);
  }

  it('re-sends the chunks of a data connection that drops while the others stay up', async () => {
    await sendDroppingOneConnection('deliver');
    expect(wire!.listener.session('CompersInc')!.isOpen).toBe(true);
  });

  it('an upload carries on when one data connection drops', async () => {
    await sendDroppingOneConnection('upload');
  });

  it.each(['deliver', 'upload'] as const)('%s: more data connections mid-transfer join in without re-sending anything', async (direction) => {
    wire = await startWire({ tuning: { chunkSize: CHUNK, window: WINDOW } });
    const [from, to, fromRoot, toRoot] = direction === 'deliver' ? [HQ, VENDOR, wire.hqRoot, wire.vendorRoot] : [VENDOR, HQ, wire.vendorRoot, wire.hqRoot];
    await makeTree(fromRoot, TREE);
    const session = wire.listener.session('CompersInc')!;
    expect(session.streams).toBe(3);
    let sent = 0;
    let grown: Promise<void> | undefined;
    const outcome = await listAndSend(wire.transport, from, to, [{ taskId: direction, source: 'seq', destination: 'seq' }], memoryLedger(), {
      onProgress: (_task, bytes) => {
        sent += bytes;
        if (!grown && sent >= TOTAL_BYTES / 4) grown = session.setStreams(9);
      },
    });
    await grown;
    expect(outcome.failed).toEqual([]);
    await expectSameTree(fromRoot, toRoot);
    expect(wire.transport.stats().chunksSent).toBe(TOTAL_CHUNKS);
    expect(session.wantedStreams).toBe(9);
    expect(session.movedBytes).toBe(TOTAL_BYTES);
  });

  it('survives kill -9 of the agent process: byte-identical, only in-flight chunks re-sent', async () => {
    wire = await startWire();
    await wire.agent.close();
    const credentialsFile = path.join(wire.dir, 'agent.json');
    await writeFile(credentialsFile, JSON.stringify(wire.credentials), { mode: 0o600 });
    const script = fileURLToPath(new URL('./agent-child.ts', import.meta.url));
    const startChild = async (): Promise<ChildProcess> => {
      const proc = spawn(process.execPath, ['--import', 'tsx', script, wire!.listener.url, credentialsFile, wire!.vendorRoot], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        proc.stdout!.on('data', (data: Buffer) => data.toString().includes('connected') && resolve());
        proc.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
      });
      return proc;
    };
    child = await startChild();
    const transport = createWireTransport({
      listener: wire.listener,
      volumes: { default: wire.hqRoot },
      access: () => undefined,
      tuning: { chunkSize: CHUNK, window: WINDOW, smallFileMax: 1024 },
      reconnectTimeoutMs: 20_000,
    });
    await makeTree(wire.hqRoot, TREE);
    let sent = 0;
    let restarted: Promise<void> | undefined;
    const outcome = await listAndSend(transport, HQ, VENDOR, [{ taskId: 't', source: 'seq', destination: 'seq' }], memoryLedger(), {
      onProgress: (_task, bytes) => {
        sent += bytes;
        if (!restarted && sent >= TOTAL_BYTES / 3) {
          child!.kill('SIGKILL');
          restarted = (async () => {
            await new Promise((resolve) => child!.once('exit', resolve));
            for (const relative of await listFiles(wire!.vendorRoot)) {
              const same = (await readFile(path.join(wire!.vendorRoot, relative))).equals(await readFile(path.join(wire!.hqRoot, relative)));
              if (!same) throw new Error(`${relative} is in place but differs from its source`);
            }
            child = await startChild();
          })();
        }
      },
    });
    expect(restarted).toBeDefined();
    await restarted;
    expect(outcome.failed).toEqual([]);
    await expectSameTree(wire.hqRoot, wire.vendorRoot);
    expect(transport.stats().chunksSent).toBeLessThanOrEqual(TOTAL_CHUNKS + WINDOW);
  });

  it('an agent started before HQ is reachable connects once it is', async () => {
    wire = await startWire();
    const agent = await connectAgent({ hqUrl: wire.listener.url, credentials: wire.credentials, root: wire.vendorRoot });
    await agent.whenConnected(10_000);
    expect(agent.connected).toBe(true);
    await agent.close();
  });
});
