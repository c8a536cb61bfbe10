/**
 * The agent listener of a real HQ server before a peer is authenticated: a
 * frame announcing more than a few KiB is refused with WIRE_FRAME_TOO_LARGE
 * and the connection closed, without HQ allocating what was announced.
 */
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameReader, type Frame } from '../../../lib/transfer/wire/frames.ts';
import { enrolAgent, parseHqUrl } from '../../../lib/transfer/wire/index.ts';
import { startServer, type ServerFixture } from './fixture.ts';

let f: ServerFixture;
beforeAll(async () => {
  f = await startServer();
});
afterAll(async () => f?.cleanup());

const MiB = 1024 * 1024;

/** A frame header announcing `bodyLength` bytes after `head`, without the body. */
function announce(head: Record<string, unknown>, bodyLength: number): Buffer {
  const json = Buffer.from(JSON.stringify(head));
  const out = Buffer.alloc(8 + json.length);
  out.writeUInt32BE(json.length, 0);
  out.writeUInt32BE(bodyLength, 4);
  json.copy(out, 8);
  return out;
}

/** Connects without a client certificate, sends `bytes` (each after the previous answer), and collects frames until HQ closes. */
function talk(sends: Buffer[]): Promise<{ frames: Frame[]; closedMs: number }> {
  const { host, port } = parseHqUrl(f.server.wireUrl!);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const reader = new FrameReader();
    const frames: Frame[] = [];
    const socket = tls.connect({ host, port, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`HQ kept the connection open; frames: ${JSON.stringify(frames.map((fr) => fr.head))}`));
    }, 5_000);
    const next = (): void => {
      const bytes = sends.shift();
      if (bytes) socket.write(bytes);
    };
    socket.once('secureConnect', next);
    socket.on('data', (data: Buffer) => {
      for (const frame of reader.push(data)) {
        frames.push(frame);
        next();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ frames, closedMs: performance.now() - started });
    });
  });
}

describe('agent listener before authentication', () => {
  it('refuses a first frame announcing 64 MiB and closes, allocating nothing', async () => {
    const memory = process.memoryUsage().arrayBuffers;
    const { frames } = await talk([announce({ t: 'enrol-hello' }, 64 * MiB)]);
    expect(frames.map((frame) => frame.head)).toEqual([expect.objectContaining({ t: 'refused', code: 'WIRE_FRAME_TOO_LARGE' })]);
    expect(process.memoryUsage().arrayBuffers - memory).toBeLessThan(32 * MiB);
  });

  it('refuses a 1 MiB head, and a large frame after the enrolment hello', async () => {
    const bigHead = await talk([announce({ t: 'enrol-hello', pad: 'x'.repeat(MiB) }, 0)]);
    expect(bigHead.frames.at(-1)?.head).toMatchObject({ t: 'refused', code: 'WIRE_FRAME_TOO_LARGE' });
    const later = await talk([announce({ t: 'enrol-hello' }, 0), announce({ t: 'enrol' }, 64 * MiB)]);
    expect(later.frames.map((frame) => frame.head.t)).toEqual(['ca', 'refused']);
    expect(later.frames[1]?.head).toMatchObject({ code: 'WIRE_FRAME_TOO_LARGE' });
  });

  it('still enrols an agent, whose small frames pass', async () => {
    const credentials = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('CompersInc') });
    expect(credentials.vendor).toBe('CompersInc');
  });
});
