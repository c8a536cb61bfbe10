/**
 * Every YAML example in the docs is a piece of a real config: each one loads
 * with the shipped loader (after `version: 1`), so a reader can copy it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/core/config/index.ts';

const ROOT = path.join(import.meta.dirname, '..');
const docs = [...readdirSync(path.join(ROOT, 'docs')).map((f) => path.join('docs', f)), 'README.md'].filter((f) => f.endsWith('.md'));
/** Blocks that are not configs: publish plugin settings live in their own file (docs/publish-templates.md). */
const NOT_CONFIG = /^plugins:/m;
const examples = docs.flatMap((file) =>
  [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m, i) => ({ name: `${file} #${i + 1}`, text: m[1]! })),
);

describe('YAML examples in the docs', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });
  it.each(examples.filter((e) => !NOT_CONFIG.test(e.text)).map((e) => [e.name, e.text]))('%s loads as config', (name, text) => {
    const yaml = /^version:/m.test(text) ? text : `version: 1\n${text}`;
    expect(() => parseConfig(yaml, path.join(ROOT, 'docs', 'example.yaml'), {})).not.toThrow();
  });
});
