/**
 * The layers of lib/ (docs/architecture.md): imports only point down. Seams do
 * not reach into each other, and only surfaces load the TD folders statically.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const lib = path.join(root, 'lib');

const layer: Record<string, number> = {
  core: 0,
  tracker: 1,
  transfer: 1,
  media: 1,
  emulators: 1,
  actions: 2,
  hooks: 2,
  publish: 2,
  outsource: 2,
  'vendor-publish': 2,
  cli: 3,
  server: 3,
  agent: 3,
  demo: 3,
};
/** Seams that may lean on another seam: the emulators reuse the tracker seed and media tools. */
const sideways: Record<string, string[]> = { emulators: ['tracker', 'media'] };
const tdFolders = ['actions', 'hooks', 'publish-templates'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)];
  return specifiers.map((m) => path.resolve(path.dirname(file), (m[1] ?? m[2]) as string));
}

function topOf(file: string): { area: 'lib' | 'td' | 'other'; name: string } {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'lib') return { area: 'lib', name: rel[1] ?? '' };
  if (tdFolders.includes(rel[0] ?? '')) return { area: 'td', name: rel[0] as string };
  return { area: 'other', name: rel[0] ?? '' };
}

describe('the layers of lib/', () => {
  const files = sourceFiles(lib);

  it('knows every folder in lib/', () => {
    const folders = readdirSync(lib, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in layer))).toEqual([]);
  });

  it('only imports downwards', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = topOf(file).name;
      for (const target of importsOf(file)) {
        const to = topOf(target);
        const where = `${path.relative(root, file)} -> ${path.relative(root, target)}`;
        if (to.area === 'td' && (layer[from] ?? 0) < 3) violations.push(`${where} (only surfaces load TD folders)`);
        if (to.area !== 'lib' || to.name === from) continue;
        const [a, b] = [layer[from] ?? 0, layer[to.name] ?? 0];
        if (b > a) violations.push(`${where} (points up)`);
        else if (a === 1 && b === 1 && !sideways[from]?.includes(to.name)) violations.push(`${where} (seam into seam)`);
      }
    }
    expect(violations).toEqual([]);
  });
});
