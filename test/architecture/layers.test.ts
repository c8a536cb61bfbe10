/**
 * The layers of lib/ (docs/architecture.md): imports only point down and never go round
 * in a circle. Seams do not reach into each other, only surfaces load the TD folders
 * statically, and the TD folders import handoff only through `handoff/sdk`.
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
  sdk: 2,
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

/** Every specifier a file imports or re-exports, static or dynamic, as written. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => (m[1] ?? m[2]) as string);
}

function importsOf(file: string): string[] {
  return specifiersOf(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s));
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
        if (to.area === 'lib' && to.name === 'sdk' && from !== 'sdk') violations.push(`${where} (the SDK is for TD files only)`);
        if (to.area !== 'lib' || to.name === from) continue;
        const [a, b] = [layer[from] ?? 0, layer[to.name] ?? 0];
        if (b > a) violations.push(`${where} (points up)`);
        else if (a === 1 && b === 1 && !sideways[from]?.includes(to.name)) violations.push(`${where} (seam into seam)`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('the TD folders', () => {
  it('import handoff only through handoff/sdk', () => {
    const violations: string[] = [];
    for (const folder of tdFolders) {
      for (const file of sourceFiles(path.join(root, folder)).filter((f) => !/\.test\.ts$/.test(f))) {
        const own = path.join(root, folder, path.relative(path.join(root, folder), file).split(path.sep)[0] as string);
        for (const specifier of specifiersOf(file)) {
          const target = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : undefined;
          const leavesFolder = target !== undefined && (folder === 'publish-templates' ? path.dirname(target) !== path.dirname(file) : !target.startsWith(`${own}${path.sep}`));
          const reachesIn = /^handoff(\/|$)/.test(specifier) && specifier !== 'handoff/sdk';
          if (leavesFolder || reachesIn) violations.push(`${path.relative(root, file)} -> ${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});

/** Import cycles waiting for their fix; the test fails once one is gone, so the list only shrinks. */
const knownCycles = [
  'lib/emulators/shotgrid/site.ts -> lib/emulators/shotgrid/uploads.ts -> lib/emulators/shotgrid/site.ts',
  'lib/transfer/wire/landing.ts -> lib/transfer/wire/receiver.ts -> lib/transfer/wire/landing.ts',
];

describe('the import graph of lib/', () => {
  it('has no cycles', () => {
    const graph = new Map(sourceFiles(lib).map((file) => [file, importsOf(file).map((t) => t.replace(/\.js$/, '.ts'))]));
    const cycles = new Set<string>();
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const loop = trail.slice(trail.indexOf(file));
        // One canonical rotation per cycle: start at its smallest file.
        const start = loop.indexOf([...loop].sort()[0] as string);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        cycles.add([...rotated, rotated[0] as string].map((f) => path.relative(root, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect([...cycles].sort()).toEqual(knownCycles);
  });
});
