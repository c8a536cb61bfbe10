/**
 * Makes review media with ffmpeg, as ftrack's encoder does for encode_media:
 * an H.264 MP4 and a JPEG still, with the size and frame facts the web player
 * reads from `ftr_meta`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import ffmpeg from '@ffmpeg-installer/ffmpeg';

export interface EncodedMedia {
  mp4: { bytes: Buffer; meta: { frameIn: number; frameOut: number; frameRate: number; width: number; height: number } };
  image: { bytes: Buffer; meta: { format: 'image'; width: number; height: number } };
}

const even = (n: number): number => Math.max(2, n - (n % 2));

function probe(stderr: string): { width: number; height: number; fps: number } {
  const video = /Stream #.*Video:.*?(\d{2,5})x(\d{2,5})/.exec(stderr);
  const fps = /(\d+(?:\.\d+)?) fps/.exec(stderr) ?? /(\d+(?:\.\d+)?) tbr/.exec(stderr);
  return { width: Number(video?.[1] ?? 0), height: Number(video?.[2] ?? 0), fps: Number(fps?.[1] ?? 24) };
}

/** Encodes `source` (any still or movie ffmpeg reads); throws with ffmpeg's message when it cannot. */
export async function encodeReview(source: Buffer, fileType: string, signal?: AbortSignal): Promise<EncodedMedia> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-encode-'));
  try {
    const input = path.join(dir, `source${/^\.[A-Za-z0-9]+$/.test(fileType) ? fileType : ''}`);
    await writeFile(input, source);
    const info = await execa(ffmpeg.path, ['-hide_banner', '-i', input], { reject: false, ...(signal ? { cancelSignal: signal } : {}) });
    const { width, height, fps } = probe(info.stderr);
    if (!width || !height) throw new Error(`ffmpeg found no picture in the source: ${info.stderr.split('\n').slice(-2).join(' ')}`);
    const mp4 = path.join(dir, 'review.mp4');
    const jpg = path.join(dir, 'review.jpg');
    const scale = `scale=${even(Math.min(width, 1920))}:-2`;
    const run = (args: string[]) => execa(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', ...args], signal ? { cancelSignal: signal } : {});
    await run(['-i', input, '-vf', scale, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-an', mp4]);
    await run(['-i', input, '-frames:v', '1', '-vf', `scale=${even(Math.min(width, 1024))}:-2`, jpg]);
    const out = await execa(ffmpeg.path, ['-hide_banner', '-i', mp4, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], { reject: false });
    const frames = Number(/frame=\s*(\d+)/.exec(out.stderr)?.[1] ?? 1);
    const encoded = probe(out.stderr);
    const still = probe((await execa(ffmpeg.path, ['-hide_banner', '-i', jpg], { reject: false })).stderr);
    return {
      mp4: { bytes: await readFile(mp4), meta: { frameIn: 0, frameOut: Math.max(0, frames - 1), frameRate: fps, width: encoded.width, height: encoded.height } },
      image: { bytes: await readFile(jpg), meta: { format: 'image', width: still.width, height: still.height } },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
