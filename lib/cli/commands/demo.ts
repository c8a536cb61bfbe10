/**
 * `handoff demo [--exit] [--port N] [--keep DIR]`: runs the whole outsourcing
 * loop on one machine, prints each step and a summary, then keeps the
 * dashboard up until Ctrl-C (or exits with --exit). `npm start` runs it.
 */
import type { Command } from 'commander';
import { runDemo, type DemoReporter, type DemoSummary } from '../../demo/index.ts';
import { HandoffError } from '../../core/errors.ts';
import { createLogger } from '../../core/log.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { formatBytes, formatDuration } from '../format.ts';
import type { Style } from '../output.ts';

interface DemoFlags {
  exit?: boolean;
  port?: string;
  keep?: string;
}

/** Continuation lines of a multi-line message line up under its first line. */
const indent = (text: string): string => text.replace(/\n/g, '\n    ');

function reporterFor(ctx: CommandContext): DemoReporter {
  const style = ctx.out.noteStyle;
  return {
    step: (title) => ctx.out.note(`${style.cyan('▸')} ${title}`),
    ok: (text) => ctx.out.note(`  ${style.green('✔')} ${indent(text)}`),
    info: (text) => ctx.out.note(`    ${style.dim(indent(text))}`),
    bar: (label, total) => ctx.progress.start({ label, total, unit: 'bytes' }),
  };
}

function summaryText(s: DemoSummary, style: Style): string {
  const v = s.version;
  return [
    '',
    style.bold(`The loop ran in ${formatDuration(s.durationMs)}:`),
    `  delivered   ${s.delivery.files} files (${formatBytes(s.delivery.bytes)}), ${s.delivery.verified} verified identical, in '${s.delivery.job}'`,
    `  published   ${v.asset} v${String(v.number).padStart(3, '0')} on ${s.outsource.task} (version ${v.id})`,
    ...v.components.map((c) => `  component   ${c.name} (${c.kind}) ${c.path}`),
    `  review      ${v.reviewMovie ?? style.yellow('no review movie was made')}`,
    `  ftrack      ${s.ftrack.url}  user ${s.ftrack.user}  key ${s.ftrack.apiKey}`,
    `  files       ${s.root}`,
    `  tracker     handoff emulate ftrack --persist ${s.ftrack.store}   (reopens the demo's ftrack)`,
    `  dashboard   ${style.cyan(s.dashboardUrl)}`,
  ].join('\n');
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new HandoffError('CLI_OPTION_INVALID', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(text)}`, { hint: 'Leave it out to pick a free port.' });
  }
  return port;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the whole outsourcing loop on this machine: ftrack emulator, HQ, a vendor agent, Outsource, delivery, publish')
    .option('--exit', 'exit after the summary instead of serving the dashboard')
    .option('--port <n>', 'dashboard (HTTP) port; default a free one')
    .option('--keep <dir>', 'work in this (new or empty) folder and keep it; otherwise a temporary folder, removed when the demo stops (kept with --exit)')
    .action(cliAction(async (ctx, flags: DemoFlags) => {
      const logger = createLogger('server', { level: ctx.debug ? 'debug' : 'error', write: (line) => ctx.progress.print(`${line}\n`), env: ctx.io.env });
      const run = await runDemo({ reporter: reporterFor(ctx), port: parsePort(flags.port), keep: flags.keep, logger });
      try {
        ctx.result(run.summary, summaryText);
        if (!flags.exit) {
          ctx.out.note(`\nServing the dashboard at ${run.summary.dashboardUrl} — Ctrl-C stops the demo.`);
          await ctx.untilStopped();
        }
      } finally {
        await run.close({ keepFiles: Boolean(flags.exit) });
        if (flags.exit && !flags.keep) ctx.out.note(`The demo's files stay in ${run.summary.root}; remove the folder when done.`);
      }
    }));
}
