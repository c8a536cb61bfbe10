import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublishContext, SearchPath } from '../../../lib/publish/index.ts';
import { publishMedia } from '../../../lib/publish/index.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/publish-templates/', import.meta.url));

export function fixturePaths(...names: string[]): SearchPath[] {
  return names.map((name) => ({ scope: name, dir: path.join(FIXTURES, name) }));
}

/** A context whose log keeps lines in memory and whose `data.ran` records plugin calls. */
export function testContext(overrides: Partial<PublishContext> = {}): PublishContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    stagingDir: '/nonexistent-staging',
    instances: [],
    data: { ran: [] },
    services: { media: publishMedia, log: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) } },
    lines,
    ...overrides,
  };
}
