/**
 * The vendor machine installs without native compilation: `better-sqlite3` is
 * an optional dependency, and nothing the `handoff agent` command loads
 * imports it (followed through every static import of lib/). The CLI frame
 * loads only the command that runs (lib/cli/commands/index.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '../..');
const NATIVE = ['better-sqlite3', 'sharp'];
const IMPORT = /^\s*import\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Every package imported (statically, not type-only) by `entry` and what it imports, with the chain to it. */
function packagesReached(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (spec!.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec!);
        if (existsSync(target) && target.endsWith('.ts')) visit(target, [...chain, path.relative(ROOT, target)]);
      } else if (!spec!.startsWith('node:')) {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (!reached.has(name)) reached.set(name, chain);
      }
    }
  };
  visit(path.join(ROOT, entry), [entry]);
  return reached;
}

describe('the vendor agent install', () => {
  it('keeps better-sqlite3 optional', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(pkg['optionalDependencies']).toHaveProperty('better-sqlite3');
    expect(pkg['dependencies']).not.toHaveProperty('better-sqlite3');
  });

  it.each(['lib/cli/main.ts', 'lib/cli/commands/agent.ts'])('%s reaches no native module', (entry) => {
    const reached = packagesReached(entry);
    expect(reached.size).toBeGreaterThan(0);
    for (const name of NATIVE) expect(reached.get(name), `${name} via ${reached.get(name)?.join(' -> ')}`).toBeUndefined();
  });

  it('sees a native module when a command does load one (the check can fail)', () => {
    expect(packagesReached('lib/cli/commands/jobs.ts').has('better-sqlite3')).toBe(true);
  });
});
