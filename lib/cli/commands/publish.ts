/**
 * `handoff publish FOLDER...`: a vendor publishes result folders (see
 * lib/cli/publish/publish-folders.ts). `handoff publish plan`: the publish
 * plugins a project would run, in order, with the file each comes from and
 * what it replaced.
 */
import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { planPublish } from '../../publish/index.ts';
import { applyPublishConfig } from '../../vendor-publish/index.ts';
import type { PublishPlan } from '../../publish/index.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { publishFolders } from '../publish/publish-folders.ts';
import type { PublishFlags } from '../publish/publish-folders.ts';

interface PlanFlags {
  project?: string;
  studio?: string;
  projectRoot?: string;
}

export function planRows(plan: PublishPlan) {
  const rows = plan.entries.map((e) => ({
    id: e.id, order: e.order, band: e.band, label: e.label, source: e.source, scope: e.scope, enabled: e.enabled, replacedBy: undefined as string | undefined,
  }));
  const replaced = plan.replaced.map((r) => {
    const winner = plan.entries.find((e) => e.id === r.id);
    return { id: r.id, order: winner?.order ?? Number.NaN, band: winner?.band ?? '', label: '', source: r.source, scope: r.scope, enabled: false, replacedBy: r.replacedBy };
  });
  return [...rows, ...replaced];
}

function printPlan(plan: PublishPlan, configFile: string | undefined): void {
  const cwd = process.cwd();
  const show = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative && !relative.startsWith('..') ? relative : file;
  };
  console.log(pc.bold('Search paths: ') + plan.searchPaths.map((s) => `${s.scope}=${show(s.dir)}`).join('  '));
  console.log(pc.bold('Config: ') + (configFile ? show(path.resolve(configFile)) : 'none (--config applies a config\'s publish section)'));
  console.log(pc.bold('Plugin settings files: ') + (plan.configFiles.length ? plan.configFiles.map(show).join(', ') : 'none'));
  for (const e of plan.entries) {
    const state = e.enabled ? pc.green('on ') : pc.yellow('off');
    console.log(`${state} ${e.order.toFixed(2).padStart(5)} ${e.band.padEnd(9)} ${e.id.padEnd(28)} ${e.label.padEnd(32)} ${pc.dim(show(e.source))}`);
  }
  for (const r of plan.replaced) {
    console.log(pc.dim(`replaced ${r.id}: ${show(r.source)} by ${show(r.replacedBy)}`));
  }
}

async function planAction(ctx: CommandContext, flags: PlanFlags): Promise<void> {
  const base = await planPublish({
    studioRoot: flags.studio ?? process.env.HANDOFF_STUDIO_ROOT,
    project: flags.project,
    projectRoot: flags.projectRoot,
  });
  // With --config, the plan as that config's publish section shapes it (as pre-publish runs it).
  const plan = ctx.configFile ? applyPublishConfig(base, await ctx.loadConfig()) : base;
  if (ctx.json) ctx.result({ config: ctx.configFile ?? null, searchPaths: plan.searchPaths, configFiles: plan.configFiles, plugins: planRows(plan) });
  else printPlan(plan, ctx.configFile);
}

export function register(program: Command): void {
  const publish = program
    .command('publish')
    .description('Publish result folders to HQ (pre-publish, fields, upload); `publish plan` lists the publish plugins')
    .argument('[folders...]', 'result folders, one per task (scd_0010_0010_cleanup_v001)')
    .option('--comment <text>', 'what was done, shown as a note on the version')
    .option('--time <spent>', 'time spent, e.g. 3h30m')
    .option('--status <name>', 'status to set (default: the first offered)')
    .option('--yes', 'upload without asking')
    .option('--vendor <code>', 'vendor code', 'CompersInc')
    .option('--user <name>', "tracker username or email of the person publishing (default: the vendor's first)")
    .option('--seed <name|file>', 'studio seed of the memory tracker (default: the demo studio)')
    .option('--configured-tracker', 'check against the tracker the config names (e.g. ftrack) instead of a seed')
    .option('--hq-root <dir>', 'HQ storage volume, for a local run (or HANDOFF_HQ_ROOT)')
    .option('--data-dir <dir>', 'data directory of the embedded transfer core (default <hq-root>/.handoff)')
    .option('--server <url>', 'a running HQ server, e.g. http://hq:8730 (or HANDOFF_SERVER; token in HANDOFF_TOKEN)')
    .action(cliAction(async (ctx: CommandContext, folders: string[], flags: PublishFlags) => {
      if (!folders.length) return void publish.help({ error: true });
      await publishFolders(ctx, folders, flags);
    }));
  publish
    .command('plan')
    .description('List the publish plugins a project runs, in order, with their source files')
    .option('--project <name>', 'project name (its folder is <studio>/projects/<name>)')
    .option('--studio <dir>', 'studio folder with publish-templates/ and publish.yaml (default $HANDOFF_STUDIO_ROOT)')
    .option('--project-root <dir>', 'project folder, when it is not under the studio folder')
    .action(cliAction(planAction));
}
