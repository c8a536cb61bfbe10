/**
 * A small studio for Outsource tests: the demo tracker (or a given seed), an HQ
 * volume with plates and references on disk, a vendor folder, the embedded
 * transfer core, and the Outsource action served on the memory tracker.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import outsourceAction from '../../actions/outsource/action.ts';
import { createActionRuntime, type ActionRuntime } from '../../lib/actions/index.ts';
import { createOutsource, parseOutsourceSettings, type Outsource, type OutsourceSettingsInput } from '../../lib/outsource/index.ts';
import { createMemoryTracker, loadStudioSeed, type MemoryTracker, type SelectionItem, type StudioSeedInput } from '../../lib/tracker/index.ts';
import { createEmbeddedTransfer, type TransferAdapter } from '../../lib/transfer/index.ts';

export const CORA = 'cora@acmevfx.example';
export const TODAY = new Date(Date.UTC(2026, 10, 21, 9, 30));

export interface Studio {
  dir: string;
  volume: string;
  vendorRoot: string;
  tracker: MemoryTracker;
  transfer: TransferAdapter;
  outsource: Outsource;
  runtime: ActionRuntime;
  task(project: string, sequence: string, shot: string, name: string): Promise<SelectionItem>;
  close(): Promise<void>;
}

export interface StudioOptions {
  seed?: StudioSeedInput;
  settings?: Partial<OutsourceSettingsInput>;
  /** Files to write below the volume: path → content. Default: demo plates and references. */
  files?: Record<string, string>;
  /** Deliveries above this many transfer tasks are appended after the reply. */
  inlineTaskLimit?: number;
  transfer?: (roots: { hq: Record<string, string>; vendors: Record<string, string> }, dataDir: string) => TransferAdapter;
}

/** Plates 1001-1010 and one reference for scd 0010/0010, 0010/0020, 0020/0010 and mtn 0100/0010. */
export function demoFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const shot of ['scd/0010/0010', 'scd/0010/0020', 'scd/0020/0010', 'mtn/0100/0010']) {
    const name = shot.replaceAll('/', '_');
    for (let frame = 1001; frame <= 1010; frame++) files[`${shot}/src/plates/${name}_plate.${frame}.exr`] = `${name} frame ${frame}\n`;
    files[`${shot}/src/plates/notes.txt`] = 'scanner notes\n';
    files[`${shot}/src/reference/${name}_ref.jpg`] = `${name} reference\n`;
  }
  return files;
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  const mtime = new Date(Date.UTC(2026, 0, 1));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
    await utimes(abs, mtime, mtime);
  }
}

export async function createStudio(options: StudioOptions = {}): Promise<Studio> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-outsource-'));
  const volume = path.join(dir, 'proj');
  const vendorRoot = path.join(dir, 'compers');
  await mkdir(volume, { recursive: true });
  await mkdir(vendorRoot, { recursive: true });
  await writeFiles(volume, options.files ?? demoFiles());
  const roots = { hq: { proj: volume }, vendors: { CompersInc: vendorRoot } };
  const transfer = options.transfer?.(roots, path.join(dir, 'data')) ?? createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots });
  const settings = parseOutsourceSettings({
    studio: 'Acme VFX',
    volumes: { proj: volume },
    vendors: {
      CompersInc: { name: 'Compers Inc', users: ['emma@compersinc.example'], priority: 650 },
      PaintCo: { name: 'Paint Co', groups: ['Paint Co'] },
    },
    rules: {
      default: { send: [{ template: 'references', optional: true }] },
      Cleanup: { send: [{ template: 'plates', globs: ['*.exr'] }, { template: 'references', optional: true }] },
      Roto: { send: ['plates'] },
    },
    ...options.settings,
  });
  const outsource = createOutsource({ settings, transfer, dataDir: path.join(dir, 'data'), now: () => TODAY, inlineTaskLimit: options.inlineTaskLimit });
  const tracker = createMemoryTracker({ seed: options.seed ?? (await loadStudioSeed('demo')), now: () => TODAY });
  const runtime = createActionRuntime({ tracker, actions: [outsourceAction], services: { outsource }, log: () => undefined });
  const served = await tracker.actions!.serve(runtime);
  return {
    dir,
    volume,
    vendorRoot,
    tracker,
    transfer,
    outsource,
    runtime,
    async task(project, sequence, shot, name) {
      const context = await tracker.findTask({ project, sequence, shot, task: name });
      if (!context) throw new Error(`no task ${project}/${sequence}/${shot}/${name} in the seed`);
      return { entityType: 'task', entityId: context.task.id };
    },
    async close() {
      await served.close();
      await runtime.close();
      await tracker.close();
      await transfer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
