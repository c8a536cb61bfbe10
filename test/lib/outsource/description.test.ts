import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderDescription, type CollectedSource } from '../../../lib/outsource/index.ts';
import type { TaskContext } from '../../../lib/tracker/index.ts';

const context: TaskContext = {
  project: { id: 'p', name: 'scd', fullName: 'Something Completely Different', fps: 24, resolution: { width: 1920, height: 1080 }, colourSpace: 'ACEScg' },
  sequence: { id: 'q', name: '0010' },
  shot: { id: 's', name: '0010', frameRange: { start: 1001, end: 1100, handles: { head: 8, tail: 8 } } },
  task: { id: 't', name: 'cleanup', type: 'cleanup', status: { id: 'st', name: 'Ready to start', state: 'not_started' }, assignees: [] },
  fps: 24,
  notes: [
    { id: 'n1', content: 'Keep the grain <please>', createdAt: new Date(Date.UTC(2026, 10, 20)) },
    { id: 'n2', content: "Outsourced to Compers Inc in 'job'\n- plates", createdAt: new Date(Date.UTC(2026, 10, 20)) },
  ],
  path: ['scd', '0010', '0010', 'cleanup'],
};
const sources: CollectedSource[] = [
  { name: 'plates', folder: 'scd/0010/0010/src/plates', files: [], sources: [], sequences: [{ pattern: 'plate.####.exr', frames: '1001-1100', count: 100 }], singles: 0 },
];
const input = {
  context,
  studio: 'Acme VFX',
  vendor: { code: 'CompersInc', name: 'Compers Inc' },
  job: 'Outsource - download - scd - CompersInc - 261121',
  delivery: { name: 'scd_0010_0010_cleanup_v001', next: 'scd_0010_0010_cleanup_v002', publishTo: '_VENDORS/CompersInc/FROM_CLIENT', user: 'emma@compersinc.example' },
  sources,
};

describe('renderDescription', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-description-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('renders the built-in template with the spec, escaped notes (its own outsource notes left out) and the delivery naming', async () => {
    const html = await renderDescription(input);
    expect(html).toContain('<h1>scd/0010/0010/cleanup — cleanup</h1>');
    expect(html).toContain('1001–1100 (100 frames)');
    expect(html).toContain('Keep the grain &lt;please&gt;');
    expect(html).not.toContain('Outsourced to');
    expect(html).toContain('<code>scd_0010_0010_cleanup_v001</code>');
    // The vendor is told the command it runs, never a path that exists only at HQ.
    expect(html).toContain('handoff agent publish scd_0010_0010_cleanup_v001 --user emma@compersinc.example --check');
    expect(html).not.toContain('_VENDORS');
    expect(html).toContain('<code>plate.####.exr</code> 1001-1100');
    expect(await renderDescription(input)).toBe(html);
  });

  it('uses a studio template and says clearly when one is broken or missing', async () => {
    const own = path.join(dir, 'own.hbs');
    await writeFile(own, '{{task.path}} at {{fps}} fps -> {{delivery.name}}\n');
    expect(await renderDescription(input, own)).toBe('scd/0010/0010/cleanup at 24 fps -> scd_0010_0010_cleanup_v001\n');
    const broken = path.join(dir, 'broken.hbs');
    await writeFile(broken, '{{#if task}}never closed');
    await expect(renderDescription(input, broken)).rejects.toMatchObject({ code: 'OUTSOURCE_TEMPLATE_INVALID' });
    await expect(renderDescription(input, path.join(dir, 'none.hbs'))).rejects.toMatchObject({ code: 'OUTSOURCE_TEMPLATE_NOT_FOUND' });
  });
});
