/**
 * Picks the ffmpeg (and ffprobe) binary for a job: `$FFMPEG_PATH`, then the
 * system one on PATH, then the binary shipped with `@ffmpeg-installer/ffmpeg`.
 * Each candidate is probed once for its encoders, decoders and filters; the
 * first that has everything a job needs wins.
 */
import { createRequire } from 'node:module';
import { execa } from 'execa';
import { HandoffError } from '../../core/errors.ts';

export interface FfmpegNeeds {
  encoders?: readonly string[];
  decoders?: readonly string[];
  filters?: readonly string[];
  /** Decoding DWAA/DWAB-compressed EXR, which ffmpeg gained in 4.4. */
  exrDwa?: boolean;
}

export interface FfmpegCapabilities {
  path: string;
  source: 'env' | 'system' | 'npm';
  /** `major.minor` when the build reports a release version, else undefined (git builds). */
  version: readonly [number, number] | undefined;
  versionText: string;
  encoders: ReadonlySet<string>;
  decoders: ReadonlySet<string>;
  filters: ReadonlySet<string>;
}

interface Candidate {
  path: string;
  source: FfmpegCapabilities['source'];
}

const cache = new Map<string, Promise<FfmpegCapabilities | undefined>>();
const probeCache = new Map<string, Promise<boolean>>();

function candidates(): Candidate[] {
  const list: Candidate[] = [];
  const fromEnv = process.env.FFMPEG_PATH;
  if (fromEnv) list.push({ path: fromEnv, source: 'env' });
  list.push({ path: 'ffmpeg', source: 'system' });
  try {
    const require = createRequire(import.meta.url);
    const shipped = (require('@ffmpeg-installer/ffmpeg') as { path?: unknown }).path;
    if (typeof shipped === 'string') list.push({ path: shipped, source: 'npm' });
  } catch {
    // The npm fallback is optional; its absence only shortens the list.
  }
  return list;
}

/** Names from `ffmpeg -encoders|-decoders|-filters`: the word after the flag column. */
export function parseCapabilityList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*[A-Z.|]{3,6}\s+([\w-]+)\s/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

export function parseVersion(text: string): readonly [number, number] | undefined {
  const match = /version (?:n)?(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

async function probeCandidate(candidate: Candidate): Promise<FfmpegCapabilities | undefined> {
  const run = async (flag: string) =>
    execa(candidate.path, ['-hide_banner', flag], { timeout: 15_000, reject: false, stdin: 'ignore' });
  const [version, encoders, decoders, filters] = await Promise.all(
    ['-version', '-encoders', '-decoders', '-filters'].map(run),
  );
  if (!version || version.exitCode !== 0 || version.failed) return undefined;
  const versionText = String(version.stdout).split('\n')[0] ?? '';
  return {
    ...candidate,
    version: parseVersion(versionText),
    versionText,
    encoders: parseCapabilityList(String(encoders?.stdout ?? '')),
    decoders: parseCapabilityList(String(decoders?.stdout ?? '')),
    filters: parseCapabilityList(String(filters?.stdout ?? '')),
  };
}

/** Probes one binary once per process; undefined when it does not run. */
export function capabilitiesOf(candidate: Candidate): Promise<FfmpegCapabilities | undefined> {
  let pending = cache.get(candidate.path);
  if (!pending) {
    pending = probeCandidate(candidate).catch(() => undefined);
    cache.set(candidate.path, pending);
  }
  return pending;
}

/** What `caps` lacks of `needs`, as readable words (`encoder libx264`). */
export function missingFor(caps: FfmpegCapabilities, needs: FfmpegNeeds): string[] {
  const missing: string[] = [];
  for (const name of needs.encoders ?? []) if (!caps.encoders.has(name)) missing.push(`encoder ${name}`);
  for (const name of needs.decoders ?? []) if (!caps.decoders.has(name)) missing.push(`decoder ${name}`);
  for (const name of needs.filters ?? []) if (!caps.filters.has(name)) missing.push(`filter ${name}`);
  if (needs.exrDwa) {
    // An explicitly chosen binary is trusted; otherwise a release version must prove it.
    const [major, minor] = caps.version ?? [0, 0];
    const recent = major > 4 || (major === 4 && minor >= 4);
    if (!recent && caps.source !== 'env') missing.push('DWAA/DWAB EXR decoding (ffmpeg 4.4 or newer)');
  }
  return missing;
}

/** The first candidate binary that has everything `needs` lists. */
export async function resolveFfmpeg(needs: FfmpegNeeds = {}): Promise<FfmpegCapabilities> {
  const tried: { path: string; missing: string[] }[] = [];
  for (const candidate of candidates()) {
    const caps = await capabilitiesOf(candidate);
    if (!caps) continue;
    const missing = missingFor(caps, needs);
    if (missing.length === 0) return caps;
    tried.push({ path: caps.path, missing });
  }
  if (tried.length === 0) {
    throw new HandoffError('MEDIA_FFMPEG_MISSING', 'No ffmpeg binary could be run.', {
      hint: 'Install ffmpeg (apt-get install ffmpeg), set FFMPEG_PATH, or reinstall @ffmpeg-installer/ffmpeg.',
      details: { candidates: candidates().map((c) => c.path) },
    });
  }
  const lacking = [...new Set(tried.flatMap((t) => t.missing))];
  throw new HandoffError('MEDIA_FFMPEG_CAPABILITY', `No ffmpeg binary has ${lacking.join(', ')}.`, {
    hint: 'Install a full ffmpeg build (apt-get install ffmpeg, version 5 or newer) or point FFMPEG_PATH at one.',
    details: { tried },
  });
}

/** ffprobe: `$FFPROBE_PATH`, then the system one; undefined when neither runs. */
export async function resolveFfprobe(): Promise<string | undefined> {
  const list = [process.env.FFPROBE_PATH, 'ffprobe'].filter((p): p is string => Boolean(p));
  for (const path of list) {
    let runs = probeCache.get(path);
    if (!runs) {
      runs = execa(path, ['-version'], { timeout: 15_000, reject: false, stdin: 'ignore' }).then(
        (r) => r.exitCode === 0,
        () => false,
      );
      probeCache.set(path, runs);
    }
    if (await runs) return path;
  }
  return undefined;
}
