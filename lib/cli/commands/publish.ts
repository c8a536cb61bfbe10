/**
 * `handoff publish plan`: the publish plugins a project would run, in order,
 * with the file each comes from and what it replaced.
 */
import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { isHandoffError } from '../../core/errors.ts';
import { planPublish } from '../../publish/index.ts';
import type { PublishPlan } from '../../publish/index.ts';

interface PlanFlags {
  project?: string;
  studio?: string;
  projectRoot?: string;
  json?: boolean;
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

function printPlan(plan: PublishPlan): void {
  const cwd = process.cwd();
  const show = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative && !relative.startsWith('..') ? relative : file;
  };
  console.log(pc.bold('Search paths: ') + plan.searchPaths.map((s) => `${s.scope}=${show(s.dir)}`).join('  '));
  console.log(pc.bold('Config: ') + (plan.configFiles.length ? plan.configFiles.map(show).join(', ') : 'none'));
  for (const e of plan.entries) {
    const state = e.enabled ? pc.green('on ') : pc.yellow('off');
    console.log(`${state} ${e.order.toFixed(2).padStart(5)} ${e.band.padEnd(9)} ${e.id.padEnd(28)} ${e.label.padEnd(32)} ${pc.dim(show(e.source))}`);
  }
  for (const r of plan.replaced) {
    console.log(pc.dim(`replaced ${r.id}: ${show(r.source)} by ${show(r.replacedBy)}`));
  }
}

async function planAction(flags: PlanFlags): Promise<void> {
  try {
    const plan = await planPublish({
      studioRoot: flags.studio ?? process.env.HANDOFF_STUDIO_ROOT,
      project: flags.project,
      projectRoot: flags.projectRoot,
    });
    if (flags.json) console.log(JSON.stringify({ searchPaths: plan.searchPaths, configFiles: plan.configFiles, plugins: planRows(plan) }, null, 2));
    else printPlan(plan);
  } catch (err) {
    if (!isHandoffError(err)) throw err;
    if (flags.json) console.log(JSON.stringify({ error: err.toJSON() }, null, 2));
    else console.error(`${pc.red(err.code)} ${err.message}${err.hint ? `\n${pc.dim(err.hint)}` : ''}`);
    process.exitCode = 1;
  }
}

export function register(program: Command): void {
  const publish = program.command('publish').description('Publish plugins: plan and run');
  publish
    .command('plan')
    .description('List the publish plugins a project runs, in order, with their source files')
    .option('--project <name>', 'project name (its folder is <studio>/projects/<name>)')
    .option('--studio <dir>', 'studio folder with publish-templates/ and publish.yaml (default $HANDOFF_STUDIO_ROOT)')
    .option('--project-root <dir>', 'project folder, when it is not under the studio folder')
    .option('--json', 'print the plan as JSON')
    .action(planAction);
}
