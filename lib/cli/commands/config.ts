/** `handoff config check|init|path`: validate a config, start one, show which file applies. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import yaml from 'js-yaml';
import { findConfigFile, inspectConfig, shippedDefaultConfig, type ConfigOrigin, type ConfigReport } from '../../core/config/index.ts';
import { HandoffError } from '../../core/errors.ts';
import { redactSecrets } from '../../core/redact.ts';
import { cliAction, type CommandContext } from '../action.ts';

const originText: Record<ConfigOrigin, string> = {
  argument: 'given on the command line',
  env: 'from $HANDOFF_CONFIG',
  cwd: './handoff.yaml in the current folder',
  default: 'the shipped default: no --config, $HANDOFF_CONFIG or ./handoff.yaml',
};

export function register(program: Command): void {
  const config = program.command('config').description('check, start and locate the handoff config');

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
    .command('init')
    .description('write a starter config (a copy of the commented shipped default) to edit')
    .argument('[file]', 'where to write it', 'handoff.yaml')
    .option('--force', 'overwrite an existing file')
    .action(cliAction(async (ctx: CommandContext, file: string, opts: { force?: boolean }) => {
      const target = path.resolve(file);
      await writeStarter(target, Boolean(opts.force));
      ctx.result({ file: target }, (d, style) => `${style.green('✔')} wrote ${displayPath(d.file)}; edit it, then run \`handoff config check ${file}\``);
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
  const style = ctx.out.noteStyle;
  const shown = displayPath(report.file);
  ctx.out.note(`${style.green('✔')} ${shown} is valid ${style.dim(`(${originText[report.origin]})`)}`);
  for (const w of report.warnings) {
    ctx.out.note(`${style.yellow('warning')} ${displayPath(w.file)}:${w.line}:${w.column} ${w.path}: ${w.message}`);
  }
}

async function writeStarter(target: string, force: boolean): Promise<void> {
  const text = await readFile(shippedDefaultConfig, 'utf8');
  try {
    await writeFile(target, text, { flag: force ? 'w' : 'wx' });
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
    throw new HandoffError(exists ? 'CONFIG_EXISTS' : 'CONFIG_UNWRITABLE', exists ? `${target} already exists` : `Cannot write ${target}: ${(cause as Error).message}`, {
      cause,
      details: { file: target },
      hint: exists ? 'Pass --force to overwrite it, or give another file name.' : 'Check that the folder exists and that this user may write to it.',
    });
  }
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
