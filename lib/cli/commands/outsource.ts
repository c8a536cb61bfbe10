/**
 * `handoff outsource --task ID... [--vendor CODE]`: the Outsource action's flow
 * from the command line. Tasks are tracker ids or `project/sequence/shot/task`
 * paths. The files are queued in the transfer core's database (the running
 * `handoff serve` delivers them); manifests and tracker updates finish before
 * the command returns. The tracker is the configured one (ftrack, ShotGrid or memory);
 * with no config file at all, the memory tracker seeded with the demo studio.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { findConfigFile, type HandoffConfig } from '../../core/config/index.ts';
import { HandoffError } from '../../core/errors.ts';
import { closest } from '../../core/suggest.ts';
import { createOutsource, finishMessage, outsourceMessage, settingsFromConfig, type OutsourceResult } from '../../outsource/index.ts';
import { createMemoryTracker, createTracker, loadStudioSeed, type Tracker } from '../../tracker/index.ts';
import { createEmbeddedTransfer } from '../../transfer/index.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { ExitCode } from '../exit-codes.ts';

interface Options {
  task: string[];
  vendor?: string;
  note?: string;
  priority?: string;
}

async function openTracker(ctx: CommandContext, config: HandoffConfig): Promise<Tracker> {
  // Without a config file, outsource runs on the demo studio.
  const { origin } = await findConfigFile(ctx.configFile, { env: ctx.io.env });
  if (origin === 'default') return createMemoryTracker({ seed: await loadStudioSeed('demo') });
  return createTracker(config.tracker, ctx.io.env);
}

/** Task names worth trying when a path's task name is a typo (each guess is checked in the tracker). */
const COMMON_TASK_NAMES = ['animation', 'cleanup', 'comp', 'compositing', 'fx', 'layout', 'lighting', 'lookdev', 'matchmove', 'modeling', 'paint', 'prep', 'rigging', 'roto', 'tracking'];

/** Tracker ids as given; `project/sequence/shot/task` paths looked up by name. */
async function taskIds(tracker: Tracker, refs: string[], taskNames: string[]): Promise<string[]> {
  return Promise.all(
    refs.map(async (ref) => {
      const parts = ref.split('/');
      if (parts.length !== 4) return ref;
      const [project, sequence, shot, task] = parts as [string, string, string, string];
      const found = await tracker.findTask({ project, sequence, shot, task });
      if (found) return found.task.id;
      // A likely typo of a task name the config knows, and that task exists on this shot.
      const guess = closest(task, taskNames);
      const exists = guess && (await tracker.findTask({ project, sequence, shot, task: guess }));
      throw new HandoffError('TRACKER_TASK_NOT_FOUND', `No task ${JSON.stringify(ref)} in the tracker.${exists ? ` Did you mean "${[project, sequence, shot, guess].join('/')}"?` : ''}`, {
        details: { task: ref },
        hint: 'Give the path as project/sequence/shot/task with the names shown in the tracker, or the task id.',
      });
    }),
  );
}

function needsVendor(result: Extract<OutsourceResult, { type: 'needs-vendor' }>): HandoffError {
  const codes = result.choices.map((c) => c.value);
  return new HandoffError('OUTSOURCE_VENDOR_REQUIRED', `Choose a vendor: ${result.tasks.map((t) => `${t.where} is ${t.reason}`).join('; ')}`, {
    details: { tasks: result.tasks, vendors: codes },
    hint: codes.length ? `Add --vendor with one of: ${codes.join(', ')}.` : 'Add a vendor to the config first.',
  });
}

function priorityOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (Number.isInteger(value)) return value;
  throw new HandoffError('OUTSOURCE_PRIORITY_INVALID', `--priority must be a whole number from 1 to 1000, got ${JSON.stringify(text)}`, {
    details: { priority: text },
    hint: 'Use 1 (lowest) to 1000 (highest); 500 is normal.',
  });
}

export function register(program: Command): void {
  program
    .command('outsource')
    .description("send tracker tasks' files and descriptions to their vendor in today's delivery job")
    .requiredOption('-t, --task <id...>', 'task ids or project/sequence/shot/task paths')
    .option('--vendor <code>', 'vendor for every task (default: each task\'s vendor assignee)')
    .option('--note <text>', 'note for the vendor, written into descriptions and tracker notes')
    .option('--priority <n>', 'transfer priority 1 (lowest) .. 1000 (highest)')
    .addHelpText('after', '\nExample:\n  $ handoff outsource --task scd/0010/0010/cleanup scd/0010/0020/roto --json')
    .action(cliAction(async (ctx: CommandContext, options: Options) => {
      const config = await ctx.loadConfig();
      const settings = settingsFromConfig(config);
      const tracker = await openTracker(ctx, config);
      const roots = { hq: settings.volumes };
      await mkdir(config.transfer.dataDir, { recursive: true });
      const transfer = createEmbeddedTransfer({ dataDir: config.transfer.dataDir, roots, schedule: false });
      try {
        const outsource = createOutsource({ settings, transfer, dataDir: path.join(config.transfer.dataDir, 'outsource') });
        const result = await outsource.outsource({
          tracker,
          taskIds: await taskIds(tracker, options.task, [...new Set([...Object.keys(config.outsource.rules).map((name) => name.toLowerCase()), ...COMMON_TASK_NAMES])]),
          vendor: options.vendor,
          note: options.note,
          priority: priorityOf(options.priority),
        });
        if (result.type === 'needs-vendor') throw needsVendor(result);
        const finished = await result.finish();
        const data = {
          deliveries: result.deliveries.map((d) => ({
            job: d.job,
            jobId: d.jobId,
            project: d.project,
            vendor: d.vendor.code,
            status: d.status,
            tasks: d.prepared.map((t) => t.where),
            files: d.files,
            bytes: d.bytes,
            added: d.added,
            retried: d.retried,
            ...(d.error ? { error: d.error.toJSON() } : {}),
          })),
          refused: result.refused,
          warnings: [...result.warnings, ...finished.warnings],
          manifests: finished.tasks.map((t) => ({ task: t.where, hashed: t.hashed, cached: t.cached, manifest: t.manifest })),
        };
        if (!result.deliveries.some((d) => d.status !== 'failed')) ctx.exitCode = ExitCode.failure;
        const summary = outsourceMessage(result.deliveries, result.refused, result.warnings);
        // Nothing was queued: a "manifests ready for 0 tasks" line would only confuse.
        const nothing = !finished.tasks.length && !finished.warnings.length;
        ctx.result(data, () => (nothing ? summary : `${summary}\n${finishMessage(finished)}`));
      } finally {
        await transfer.close();
        await tracker.close();
      }
    }));
}
