import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../../../lib/core/errors.ts';
import type { AccessCheck } from '../../../../lib/transfer/transport.ts';
import { FrameSocket } from '../../../../lib/transfer/wire/frames.ts';
import type { Frame } from '../../../../lib/transfer/wire/frames.ts';
import { connectAgent, createHqIdentity, enrolAgent } from '../../../../lib/transfer/wire/index.ts';
import type { AgentCredentials, AgentStatus } from '../../../../lib/transfer/wire/index.ts';
import { packListing, unpackListing, validatePlans } from '../../../../lib/transfer/wire/plans.ts';
import type { ListedFile } from '../../../../lib/transfer/wire/plans.ts';
import { listAndSend, makeTree, startWire } from './harness.ts';
import type { Wire } from './harness.ts';

const VENDOR = { kind: 'vendor', vendor: 'CompersInc' } as const;
const HQ = { kind: 'hq' } as const;

/** A grant table like the core's: each vendor reads and writes below its own folders only. */
const grants: AccessCheck = (vendor, target, mode) => {
  const allowed = mode === 'read' ? [`vendors/${vendor}/TO_CLIENT`] : [`vendors/${vendor}/FROM_CLIENT`];
  if (!allowed.some((root) => target === root || target.startsWith(`${root}/`))) {
    throw new HandoffError('TRANSFER_ACCESS_DENIED', `${vendor} may not ${mode} ${target}`);
  }
};

/** Opens a TLS connection to HQ, sends frames and collects what comes back until HQ closes it. */
function talk(port: number, frames: Frame['head'][], tlsOptions: tls.ConnectionOptions = {}): Promise<Frame[]> {
  return new Promise((resolve) => {
    const received: Frame[] = [];
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...tlsOptions });
    const framed = new FrameSocket(socket, (frame) => void received.push(frame), () => resolve(received));
    socket.once('secureConnect', () => {
      for (const head of frames) void framed.send(head).catch(() => undefined);
    });
    socket.on('error', () => resolve(received));
  });
}

describe('wire security', () => {
  let wire: Wire | undefined;
  afterEach(async () => {
    await wire?.cleanup();
    wire = undefined;
  });

  it('accepts an enrolment code once, and refuses unknown, expired or foreign codes', async () => {
    wire = await startWire();
    const code = await wire.listener.createEnrolmentCode('Other');
    const credentials = await enrolAgent({ hqUrl: wire.listener.url, code });
    expect(credentials.vendor).toBe('Other');
    await expect(enrolAgent({ hqUrl: wire.listener.url, code })).rejects.toMatchObject({ code: 'WIRE_ENROL_REFUSED' });
    const expired = await wire.listener.createEnrolmentCode('Other', { ttlMs: -1 });
    await expect(enrolAgent({ hqUrl: wire.listener.url, code: expired })).rejects.toMatchObject({ code: 'WIRE_ENROL_REFUSED' });
    const fresh = await wire.listener.createEnrolmentCode('Other');
    const [prefix, secret] = fresh.split('.');
    await expect(enrolAgent({ hqUrl: wire.listener.url, code: `${prefix}.${secret}.${'A'.repeat(43)}` })).rejects.toMatchObject({
      code: 'WIRE_ENROL_REFUSED',
    });
    await expect(enrolAgent({ hqUrl: wire.listener.url, code: 'not-a-code' })).rejects.toMatchObject({ code: 'WIRE_ENROL_REFUSED' });
  });

  it('gives a connection without valid credentials nothing', async () => {
    wire = await startWire();
    // No certificate: control hello is refused.
    const anonymous = await talk(wire.listener.port, [{ t: 'hello', role: 'control', version: 1 }]);
    expect(anonymous.map((frame) => frame.head.t)).toEqual(['refused']);
    expect(anonymous[0]!.head.code).toBe('WIRE_UNAUTHORISED');
    // A certificate from another CA is not authorised either.
    const stranger = await createHqIdentity(['127.0.0.1']);
    const foreign = await talk(wire.listener.port, [{ t: 'hello', role: 'control', version: 1 }], { key: stranger.key, cert: stranger.cert });
    expect(foreign.map((frame) => frame.head.t)).toEqual(['refused']);
    // A valid certificate cannot join another session's data connections.
    const { credentials } = wire;
    const hijack = await talk(wire.listener.port, [{ t: 'hello', role: 'data', session: 'guess' }], { key: credentials.key, cert: credentials.cert });
    expect(hijack.map((frame) => frame.head.t)).toEqual(['refused']);
  });

  it('revokes the old key when a vendor enrols again', async () => {
    wire = await startWire();
    const old: AgentCredentials = wire.credentials;
    await enrolAgent({ hqUrl: wire.listener.url, code: await wire.listener.createEnrolmentCode('CompersInc') });
    const statuses: AgentStatus[] = [];
    const refused = new Promise<void>((resolve) => {
      void connectAgent({
        hqUrl: wire!.listener.url,
        credentials: old,
        root: wire!.vendorRoot,
        onStatus: (status) => {
          statuses.push(status);
          if (status.state === 'refused') resolve();
        },
      }).then((agent) => refused.then(() => agent.close()));
    });
    await refused;
    expect(statuses.some((status) => status.state === 'refused' && status.code === 'WIRE_UNAUTHORISED')).toBe(true);
  });

  it('drops an agent that sends chunks HQ did not ask for', async () => {
    wire = await startWire();
    const session = wire.listener.session('CompersInc')!;
    const { credentials } = wire;
    const answers = await talk(
      wire.listener.port,
      [{ t: 'hello', role: 'data', session: session.id }, { t: 'c', f: 4242, i: 0, h: 'x' }],
      { key: credentials.key, cert: credentials.cert },
    );
    expect(answers).toEqual([]);
  });

  it('refuses "..", absolute paths and symlinks out of the HQ root', async () => {
    wire = await startWire({ access: grants });
    const outside = await mkdtemp(path.join(os.tmpdir(), 'handoff-outside-'));
    try {
      await makeTree(path.join(wire.hqRoot, 'vendors/CompersInc/TO_CLIENT'), { 'ok.bin': 10 });
      await writeFile(path.join(outside, 'secret.txt'), 'secret');
      await symlink(outside, path.join(wire.hqRoot, 'vendors/CompersInc/TO_CLIENT/escape'));
      const list = (source: string) => wire!.transport.list(HQ, [{ taskId: 't', source, destination: 'x' }], new AbortController().signal);
      await expect(list('../outside')).rejects.toMatchObject({ code: 'PATH_UNSAFE' });
      await expect(list('/etc/passwd')).rejects.toMatchObject({ code: 'PATH_UNSAFE' });
      await expect(list('vendors/CompersInc/TO_CLIENT/escape/secret.txt')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
      // Walking the folder leaves the link out.
      const plans = await list('vendors/CompersInc/TO_CLIENT');
      expect(plans.map((plan) => plan.source)).toEqual(['vendors/CompersInc/TO_CLIENT/ok.bin']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('keeps a vendor inside its grants in both directions (other vendors included)', async () => {
    wire = await startWire({ access: grants });
    await makeTree(wire.hqRoot, { 'vendors/CompersInc/TO_CLIENT/a.bin': 100, 'vendors/Other/TO_CLIENT/b.bin': 100, 'proj/c.bin': 100 });
    const delivery = await listAndSend(wire.transport, HQ, VENDOR, [
      { taskId: 'mine', source: 'vendors/CompersInc/TO_CLIENT', destination: 'in' },
      { taskId: 'theirs', source: 'vendors/Other/TO_CLIENT', destination: 'in' },
      { taskId: 'proj', source: 'proj', destination: 'in' },
    ]);
    expect(delivery.done.map((file) => file.taskId)).toEqual(['mine']);
    expect(delivery.failed.map((failed) => [failed.file.taskId, failed.error.code]).sort()).toEqual([
      ['proj', 'TRANSFER_ACCESS_DENIED'],
      ['theirs', 'TRANSFER_ACCESS_DENIED'],
    ]);
    expect(await readdir(path.join(wire.vendorRoot, 'in'))).toEqual(['a.bin']);

    await makeTree(wire.vendorRoot, { 'out/r.bin': 300 * 1024, 'out/s.bin': 10 });
    const upload = await listAndSend(wire.transport, VENDOR, HQ, [
      { taskId: 'ok', source: 'out', destination: 'vendors/CompersInc/FROM_CLIENT/out' },
      { taskId: 'other', source: 'out', destination: 'vendors/Other/FROM_CLIENT/out' },
      { taskId: 'read-only', source: 'out', destination: 'vendors/CompersInc/TO_CLIENT/out' },
    ]);
    expect(upload.done.filter((file) => file.taskId === 'ok')).toHaveLength(2);
    expect(upload.failed).toHaveLength(4);
    expect(new Set(upload.failed.map((failed) => failed.error.code))).toEqual(new Set(['TRANSFER_ACCESS_DENIED']));
    expect(await readdir(path.join(wire.hqRoot, 'vendors/Other'))).toEqual(['TO_CLIENT']);
  });

  it('the agent refuses destinations that leave its root', async () => {
    wire = await startWire();
    const outside = await mkdtemp(path.join(os.tmpdir(), 'handoff-outside-'));
    try {
      await makeTree(wire.hqRoot, { 'a.bin': 100, 'big.bin': 200 * 1024 });
      await mkdir(path.join(wire.vendorRoot, 'inbox'));
      await symlink(outside, path.join(wire.vendorRoot, 'inbox/link'));
      const files = [
        { taskId: 't', source: 'a.bin', destination: '../escape.bin', size: 100, mtimeMs: 0 },
        { taskId: 't', source: 'a.bin', destination: 'inbox/link/a.bin', size: 100, mtimeMs: 0 },
        { taskId: 't', source: 'big.bin', destination: 'inbox/link/big.bin', size: 200 * 1024, mtimeMs: 0 },
      ];
      const real = await wire.transport.list(HQ, [{ taskId: 't', source: 'a.bin', destination: 'x' }, { taskId: 't', source: 'big.bin', destination: 'y' }], new AbortController().signal);
      for (const file of files) file.mtimeMs = real.find((plan) => plan.source === file.source)!.mtimeMs;
      const failed: string[] = [];
      await wire.transport.send(files, {
        from: HQ,
        to: VENDOR,
        ledger: { done: async () => new Set(), mark: async () => undefined, clear: async () => undefined },
        signal: new AbortController().signal,
        onProgress: () => undefined,
        onFileDone: (_file, result) => void (!result.ok && failed.push(result.error.code)),
      });
      expect(failed.sort()).toEqual(['PATH_OUTSIDE_ROOT', 'PATH_OUTSIDE_ROOT', 'PATH_UNSAFE']);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('rejects an agent listing that points outside the requested sources', () => {
    const requests = [
      { taskId: 't', source: 'out', destination: 'vendors/V/FROM_CLIENT/out' },
      { taskId: 'u', source: 'renders/comp.exr', destination: 'vendors/V/FROM_CLIENT/comp.exr' },
    ];
    expect(validatePlans([[['a', 1, 1], ['b/c.exr', 2, 3]], [['', 4, 5]]], requests)).toEqual([
      { taskId: 't', source: 'out/a', destination: 'vendors/V/FROM_CLIENT/out/a', size: 1, mtimeMs: 1 },
      { taskId: 't', source: 'out/b/c.exr', destination: 'vendors/V/FROM_CLIENT/out/b/c.exr', size: 2, mtimeMs: 3 },
      { taskId: 'u', source: 'renders/comp.exr', destination: 'vendors/V/FROM_CLIENT/comp.exr', size: 4, mtimeMs: 5 },
    ]);
    for (const below of ['../etc/passwd', '/etc/passwd', 'a/../../x', 'a\\..\\..\\x', './a', 'a//b', 'CON', 'a\u0000b']) {
      expect(() => validatePlans([[[below, 1, 1]], []], requests), below).toThrow(/outside the requested sources/);
    }
    expect(() => validatePlans([[['a', 1, 1]]], requests)).toThrow(/each request/);
    expect(() => validatePlans([[['a', -1, 1]], []], requests)).toThrow(/size/);
    expect(() => validatePlans([[['a', 1, 'x']], []], requests)).toThrow(/mtime/);
    expect(() => validatePlans([[{ source: 'out/a', size: 1, mtimeMs: 1 }], []], requests)).toThrow(/\[path, size, mtime\]/);
  });

  it('packs a listing small for the wire and refuses one that does not unpack', () => {
    const listing: ListedFile[][] = [Array.from({ length: 2000 }, (_, n): ListedFile => [`asset_${String(n % 20).padStart(3, '0')}/work/node_${n}.json`, 4096, 1.7e12 + n])];
    const packed = packListing(listing);
    expect(packed.z.length).toBeLessThan(JSON.stringify(listing).length / 4);
    expect(unpackListing(JSON.parse(JSON.stringify(packed)))).toEqual(listing);
    expect(() => unpackListing(listing)).toThrow(/not packed/);
    expect(() => unpackListing({ z: Buffer.from('not deflate').toString('base64') })).toThrow(/does not unpack/);
  });
});
