import { afterEach, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { missingFor, parseCapabilityList, parseVersion, resolveFfmpeg } from '../../../../lib/media/ffmpeg/index.ts';
import type { FfmpegCapabilities } from '../../../../lib/media/ffmpeg/index.ts';

const LIST = `Encoders:
 V..... = Video
 ------
 V....D libx264              libx264 H.264 / AVC
 V....D mjpeg                MJPEG (Motion JPEG)
Filters:
  T.. = Timeline support
 T.C drawtext          V->V       Draw text on top of video frames.
 ..C scale             V->V       Scale the input video size and/or convert the image format.
`;

function caps(overrides: Partial<FfmpegCapabilities> = {}): FfmpegCapabilities {
  return {
    path: 'ffmpeg', source: 'system', version: [4, 1], versionText: '', encoders: new Set(['libx264']),
    decoders: new Set(['exr']), filters: new Set(['scale']), ...overrides,
  };
}

describe('capability parsing', () => {
  it('reads names from encoder and filter lists, ignoring legends', () => {
    expect([...parseCapabilityList(LIST)].sort()).toEqual(['drawtext', 'libx264', 'mjpeg', 'scale']);
  });

  it('reads release versions and leaves git builds unknown', () => {
    expect(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright')).toEqual([5, 1]);
    expect(parseVersion('ffmpeg version n7.1 Copyright')).toEqual([7, 1]);
    expect(parseVersion('ffmpeg version N-47683-g0e8eb07980-static')).toBeUndefined();
  });

  it('lists everything a binary lacks for a job', () => {
    const needs = { encoders: ['libx264', 'prores_ks'], filters: ['drawtext'], decoders: ['exr'], exrDwa: true };
    expect(missingFor(caps(), needs)).toEqual(['encoder prores_ks', 'filter drawtext', 'DWAA/DWAB EXR decoding (ffmpeg 4.4 or newer)']);
    expect(missingFor(caps({ version: [5, 1] }), { exrDwa: true })).toEqual([]);
    expect(missingFor(caps({ version: undefined, source: 'env' }), { exrDwa: true })).toEqual([]);
  });
});

describe('resolveFfmpeg', () => {
  const saved = process.env.FFMPEG_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = saved;
  });

  it('finds a binary that encodes H.264 and draws text', async () => {
    const found = await resolveFfmpeg({ encoders: ['libx264'], filters: ['drawtext', 'scale'], decoders: ['exr', 'png'] });
    expect(found.encoders.has('libx264')).toBe(true);
  });

  it('skips an FFMPEG_PATH that does not run', async () => {
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
    const found = await resolveFfmpeg({ encoders: ['libx264'] });
    expect(found.path).not.toBe('/nonexistent/ffmpeg');
  });

  it('says what is missing when no binary can do the job', async () => {
    const err = await resolveFfmpeg({ encoders: ['no_such_encoder'] }).catch((e: unknown) => e);
    expect(isHandoffError(err, 'MEDIA_FFMPEG_CAPABILITY')).toBe(true);
    expect((err as Error).message).toContain('encoder no_such_encoder');
  });
});
