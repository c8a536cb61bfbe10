/**
 * Burn-ins for review movies: shot, version and vendor along the top, the
 * frame number bottom right, drawn with the font shipped in lib/media/fonts.
 * Text goes through small text files (drawtext `textfile`), so names never
 * need filtergraph escaping.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Filter } from './ffmpeg/index.ts';

export interface BurnIns {
  shot?: string;
  version?: string;
  vendor?: string;
  /** Draw the source frame number (sequence frame, or `startFrame + n` for movies). */
  frameNumber?: boolean;
}

/** The DejaVu Sans Mono file shipped with handoff (licence beside it). */
export const BURN_IN_FONT = fileURLToPath(new URL('./fonts/DejaVuSansMono.ttf', import.meta.url));

/** Escapes text for drawtext's own expansion (`%{…}` and backslashes). */
export function escapeDrawtext(text: string): string {
  return text.replace(/[\\%]/g, (c) => `\\${c}`);
}

interface Placement {
  key: string;
  text: string;
  x: string;
  y: string;
}

function placements(burnIns: BurnIns, startFrame: number): Placement[] {
  const top = [burnIns.shot, burnIns.version].filter((t): t is string => Boolean(t)).map(escapeDrawtext).join('  ');
  const list: Placement[] = [];
  if (top) list.push({ key: 'top-left', text: top, x: '8', y: '8' });
  if (burnIns.vendor) list.push({ key: 'top-right', text: escapeDrawtext(burnIns.vendor), x: 'w-tw-8', y: '8' });
  if (burnIns.frameNumber) {
    list.push({ key: 'bottom-right', text: `%{eif:n+${Math.trunc(startFrame)}:d}`, x: 'w-tw-8', y: 'h-th-8' });
  }
  return list;
}

/**
 * Writes the text files into `workDir` and returns drawtext filters, to be
 * placed after the conversion to yuv420p (drawing on RGB frames is far slower).
 */
export async function burnInFilters(
  burnIns: BurnIns,
  options: { workDir: string; height: number; startFrame: number },
): Promise<Filter[]> {
  const fontSize = Math.max(10, Math.round(options.height / 28));
  const filters: Filter[] = [];
  for (const place of placements(burnIns, options.startFrame)) {
    const textfile = path.join(options.workDir, `burn-in-${place.key}.txt`);
    await writeFile(textfile, place.text);
    filters.push({
      name: 'drawtext',
      options: {
        fontfile: BURN_IN_FONT,
        textfile,
        fontsize: fontSize,
        fontcolor: 'white',
        box: 1,
        boxcolor: 'black@0.5',
        boxborderw: Math.max(2, Math.round(fontSize / 4)),
        x: place.x,
        y: place.y,
      },
    });
  }
  return filters;
}

export function hasBurnIns(burnIns: BurnIns | undefined): burnIns is BurnIns {
  return Boolean(burnIns && (burnIns.shot || burnIns.version || burnIns.vendor || burnIns.frameNumber));
}
