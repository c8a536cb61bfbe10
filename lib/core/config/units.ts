/**
 * Human units in config: sizes (`8 MiB`), rates (`100 MB/s`, `1 Gbit/s`) and
 * durations (`30s`, `5m`, `1h`). Plain numbers are bytes, bytes per second and
 * milliseconds. Each parser returns undefined for text it does not understand.
 */
const sizeUnits: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  kbit: 1e3 / 8,
  mbit: 1e6 / 8,
  gbit: 1e9 / 8,
};

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const amount = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

function parseAmount(text: string, units: Record<string, number>, defaultUnit: string): number | undefined {
  const match = amount.exec(text.trim());
  if (!match) return undefined;
  const factor = units[(match[2] || defaultUnit).toLowerCase()];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

/** `8 MiB` → 8388608. */
export function parseSize(text: string): number | undefined {
  return parseAmount(text, sizeUnits, 'b');
}

/** `100 MB/s` → 100000000, `1 Gbit/s` → 125000000 (bytes per second). */
export function parseRate(text: string): number | undefined {
  // A bare number is bytes per second, as a number in YAML is (`${BANDWIDTH:-0}` arrives as text).
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
  const match = /^(.*?)(?:\/s|ps)$/i.exec(text.trim());
  return match?.[1] ? parseSize(match[1]) : undefined;
}

/** `5m` → 300000 (milliseconds). */
export function parseDuration(text: string): number | undefined {
  return parseAmount(text, durationUnits, 'ms');
}
