/** `handoff config check|path`: validate the config and show which file applies. */
import path from 'node:path';
import type { Command } from 'commander';
import yaml from 'js-yaml';
import { findConfigFile, inspectConfig, type ConfigOrigin, type ConfigReport } from '../../core/config/index.ts';
import { redactSecrets } from '../../core/redact.ts';
import { cliAction, type CommandContext } from '../action.ts';

const originText: Record<ConfigOrigin, string> = {
  argument: 'given on the command line',
  env: 'from $HANDOFF_CONFIG',
  cwd: './handoff.yaml in the current folder',
  default: 'the shipped default: no --config, $HANDOFF_CONFIG or ./handoff.yaml',
};

export function register(program: Command): void {
  const config = program.command('config').description('check and locate the handoff config');

  config
    .command('check')
    .description('validate a config file and print it resolved (defaults filled in, secrets redacted)')
    .argument('[file]', 'config file (default: --config, $HANDOFF_CONFIG, ./handoff.yaml, the shipped default)')
    .addHelpText('after', '\nExit codes: 0 valid, 3 invalid (every problem listed with file:line:column), 4 file not found.')
    .action(cliAction(async (ctx: CommandContext, file: string | undefined) => {
      const report = await inspectConfig(file ?? ctx.configFile, { env: ctx.io.env });
      const data = { file: report.file, origin: report.origin, valid: true, warnings: report.warnings, config: redactSecrets(report.config) };
      if (!ctx.json) printSummary(ctx, report);
      ctx.result(data, (d) => yaml.dump(d.config, { lineWidth: 120, noRefs: true }).trimEnd());
    }));

  config
    .command('path')
    .description('print which config file applies and why')
    .action(cliAction(async (ctx: CommandContext) => {
      const found = await findConfigFile(ctx.configFile, { env: ctx.io.env });
      ctx.result(found, (d, style) => `${d.file} ${style.dim(`(${originText[d.origin]})`)}`);
    }));
}

/** Status and warnings on stderr, so stdout stays the resolved YAML. */
function printSummary(ctx: CommandContext, report: ConfigReport): void {
  const style = ctx.out.style;
  const shown = displayPath(report.file);
  ctx.out.note(`${style.green('✔')} ${shown} is valid ${style.dim(`(${originText[report.origin]})`)}`);
  for (const w of report.warnings) {
    ctx.out.note(`${style.yellow('warning')} ${displayPath(w.file)}:${w.line}:${w.column} ${w.path}: ${w.message}`);
  }
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
