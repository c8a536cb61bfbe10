/**
 * The demo's generated media: a plate (a gradient sky, a moving "actor" bar
 * and a boom mic dipping into the top left over a stretch of frames) and the
 * vendor's cleaned-up result (the same without the boom).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeExr, type Shader } from './exr.ts';

export interface FrameSpec {
  width: number;
  height: number;
  first: number;
  last: number;
  /** Frames the boom mic is in; none for a clean result. */
  boom?: { first: number; last: number } | undefined;
}

function shaderFor(spec: FrameSpec, frame: number): Shader {
  const { width, height } = spec;
  const span = Math.max(1, spec.last - spec.first);
  const actor = Math.round(((frame - spec.first) / span) * (width * 0.8)) + Math.round(width * 0.1);
  const boomOn = spec.boom && frame >= spec.boom.first && frame <= spec.boom.last;
  return (x, y) => {
    if (boomOn && x < width * 0.3 && y < height * 0.18) return [0.02, 0.02, 0.02];
    if (Math.abs(x - actor) < width * 0.04 && y > height * 0.35) return [0.8, 0.25, 0.1];
    const sky = 1 - y / height;
    return [0.1 + 0.3 * sky, 0.15 + 0.35 * sky, 0.25 + 0.6 * sky];
  };
}

/** Writes `<name>.<frame>.exr` (4-digit padding) into `dir`; returns the files written. */
export async function writeFrames(dir: string, name: string, spec: FrameSpec): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let frame = spec.first; frame <= spec.last; frame++) {
    const file = path.join(dir, `${name}.${String(frame).padStart(4, '0')}.exr`);
    await writeFile(file, encodeExr(spec.width, spec.height, shaderFor(spec, frame)));
    files.push(file);
  }
  return files;
}
