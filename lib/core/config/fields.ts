/** Small zod building blocks shared by the config sections. */
import os from 'node:os';
import { z } from 'zod';
import { parseDuration, parseRate, parseSize } from './units.ts';

export const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');

/** A naming or path template (`{shot}_v{version:03}`); compiled with lib/core/naming in templates.ts. */
export const template = nonEmpty;

/** A filesystem path; a leading `~/` means the home folder of the user running handoff. */
export const fsPath = nonEmpty.transform((text) => (text === '~' || text.startsWith('~/') ? os.homedir() + text.slice(1) : text));

export const httpUrl = nonEmpty.refine(
  (text) => /^https?:\/\/[^\s/?#]+/.test(text) && URL.canParse(text),
  'expected an http(s) URL such as https://acme.ftrackapp.com',
);

/** 0 means "any free port". */
export const port = z.number().int().min(0).max(65535);

/** 1 (lowest) to 1000 (highest), 500 by default, like transfer task priorities. */
export const priority = z.number().int().min(1).max(1000);

function unit(parse: (text: string) => number | undefined, expected: string) {
  return z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
    const parsed = typeof value === 'number' ? value : parse(value);
    if (parsed === undefined) {
      ctx.issues.push({ code: 'custom', message: `expected ${expected}, got ${JSON.stringify(value)}`, input: value });
      return z.NEVER;
    }
    return parsed;
  });
}

/** Bytes: `8 MiB`, `512KB`, or a number. */
export const size = unit(parseSize, 'a size such as "8 MiB" or a number of bytes');
/** Bytes per second: `100 MB/s`, `1 Gbit/s`, or a number; 0 means unlimited. */
export const rate = unit(parseRate, 'a rate such as "100 MB/s" or "1 Gbit/s", or a number of bytes per second');
/** Milliseconds: `30s`, `5m`, `1h`, or a number. */
export const duration = unit(parseDuration, 'a duration such as "30s", "5m" or "1h", or a number of milliseconds');

/** A key that names something in the config (volume, vendor code, plugin id). */
export function identifier(what: string, pattern = /^[A-Za-z][A-Za-z0-9_-]*$/, shape = 'a letter, then letters, digits, "_" or "-"') {
  return z.string().regex(pattern, `expected a ${what}: ${shape}`);
}
