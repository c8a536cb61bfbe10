/**
 * `handoff agent enrol|run|status|publish`: the vendor side. Enrol once with
 * HQ's one-time code, then `run` unattended (deliveries land in the root);
 * `status` says what it does; `publish` sends result folders through HQ's
 * pre-publish and, when they pass, uploads them.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { agentReport, defaultAgentHome, enrolAgentHome, outcomeError, prepareDrop, prepublishDrop, publishDrop, runAgent, waitForPublish } from '../../agent/index.ts';
import type { AgentReport } from '../../agent/index.ts';
import { formatTimeSpent, parseTimeSpent } from '../../vendor-publish/index.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes } from '../format.ts';
import type { Style } from '../output.ts';
import { printVerdicts } from './verdicts.ts';
import { installService, uninstallService } from '../agent-service.ts';


function statusText(report: AgentReport, style: Style): string {
  const state = report.connected ? style.green('connected') : report.running ? style.yellow(report.status?.state ?? 'starting') : style.dim('not running');
  const lines = [
    `agent     ${state}${report.status?.reason ? style.dim(` (${report.status.reason})`) : ''}`,
    `vendor    ${report.vendor}`,
    `HQ        ${report.hqUrl}${report.serverUrl ? `  ${report.serverUrl}` : ''}`,
    `root      ${report.root}`,
    `home      ${report.home}`,
  ];
  if (report.status?.lastContact) lines.push(`contact   ${report.status.lastContact}`);
  if (report.status) lines.push(`received  ${report.status.filesReceived} files, ${formatBytes(report.status.bytesReceived)}`);
  for (const t of report.status?.transfers ?? []) lines.push(`  ${t.direction} ${t.path} (${formatBytes(t.size)})`);
  return lines.join('\n');
}

async function runUntilStopped(ctx: CommandContext, home: string): Promise<void> {
  const agent = await runAgent({
    home,
    onChange: (status) => {
      if (!ctx.json) ctx.log.info(`agent ${status.state}${status.reason ? `: ${status.reason}` : ''}`);
    },
  });
  ctx.out.note(`Agent for ${agent.settings.vendor}: HQ ${agent.settings.hqUrl}, root ${agent.settings.root}. Ctrl-C stops it.`);
  const refused = await Promise.race([ctx.untilStopped().then(() => undefined), agent.refused]);
  await agent.close();
  if (refused) throw refused;
  ctx.result(agent.status(), () => 'agent stopped');
}

interface PublishFlags {
  user: string;
  comment?: string;
  time?: string;
  status?: string;
  check?: boolean;
  /** False with --no-wait: return once the upload is queued. */
  wait?: boolean;
}

export function register(program: Command): void {
  const agent = program
    .command('agent')
    .description('the vendor agent: enrol with HQ, run unattended, show status, publish results')
    .option('--home <dir>', 'agent state folder (credentials, settings, status); default $HANDOFF_AGENT_HOME or ~/.handoff-agent');
  const given = (): string | undefined => agent.opts<{ home?: string }>().home;
  const home = (): string => path.resolve(given() ?? defaultAgentHome());

  agent
    .command('enrol')
    .description('enrol this machine with the one-time code from `handoff vendor invite`')
    .requiredOption('--hq <url>', 'HQ agent address, handoff://HOST:PORT')
    .requiredOption('--code <code>', 'the one-time code (hoff1.…)')
    .option('--server <url>', 'HQ HTTP address (needed to publish), http(s)://HOST:PORT')
    .requiredOption('--root <dir>', 'folder deliveries land in and results are published from (made when missing)')
    .option('--name <name>', "this agent's name among the vendor's agents (default: this machine's host name)")
    .option('--replace <name>', 'revoke the agent of this name at HQ and take its place')
    .option('--force', 'replace an existing enrolment in this home')
    .action(cliAction(async (ctx, flags: { hq: string; code: string; server?: string; root: string; force?: boolean; name?: string; replace?: string }) => {
      const settings = await enrolAgentHome({ home: home(), hqUrl: flags.hq, serverUrl: flags.server, code: flags.code, root: flags.root, force: flags.force, name: flags.name, replace: flags.replace });
      ctx.result({ home: home(), ...settings }, (s, style) => `${style.green('✔')} enrolled as ${s.vendor}${s.name ? ` agent ${s.name}` : ''}; deliveries land in ${s.root}\n  start it: handoff agent run${given() ? ` --home ${home()}` : ''}`);
    }));

  const service = agent.command('service').description('keep the agent running: a systemd user unit, a launchd agent or a Windows scheduled task');
  service
    .command('install')
    .description('write the service definition for this machine and enable it (starts now and at every login/boot)')
    .option('--no-enable', 'only write the file and print the commands that enable it')
    .action(cliAction(async (ctx, flags: { enable: boolean }) => {
      const plan = await installService(home(), flags.enable);
      ctx.result(plan, (p, style) => [`${style.green('✔')} wrote ${p.file}`, ...(flags.enable ? ['enabled: the agent runs now and after a restart'] : ['enable it with:', ...p.enable.map((c) => `  ${c.join(' ')}`)])].join('\n'));
    }));
  service
    .command('uninstall')
    .description('stop the agent service and remove its definition')
    .action(cliAction(async (ctx) => {
      const plan = await uninstallService(home());
      ctx.result(plan, (p) => `removed ${p.file}`);
    }));

  agent
    .command('run')
    .description('connect to HQ and receive deliveries until stopped (reconnects by itself)')
    .action(cliAction(async (ctx) => runUntilStopped(ctx, home())));

  agent
    .command('status')
    .description('whether the agent runs and is connected, its HQ, vendor, root and current transfers')
    .action(cliAction(async (ctx) => {
      ctx.result(await agentReport(home()), statusText);
    }));

  agent
    .command('publish')
    .description('pre-publish result folders at HQ and upload the ones that pass')
    .argument('<folders...>', 'result folders inside the agent root, e.g. scd_0010_0010_cleanup_v001')
    .requiredOption('--user <email>', 'your tracker user (email or username)')
    .option('--comment <text>', 'what you did')
    .option('--time <spent>', 'time spent, e.g. 3h30m')
    .option('--status <name>', 'status for the task (HQ lists the choices)')
    .option('--check', 'only pre-publish: show the verdicts, upload nothing')
    .option('--no-wait', 'return once the upload is queued, without waiting for HQ to publish it')
    .action(cliAction(async (ctx, folders: string[], flags: PublishFlags) => {
      const drop = await prepareDrop(home(), folders);
      const verdicts = await prepublishDrop(drop, flags.user);
      if (!ctx.json) printVerdicts((line) => ctx.out.note(line), verdicts, ctx.out.noteStyle);
      if (flags.check) {
        // The same answer as `handoff prepublish`: exit 3 when a folder is rejected.
        if (verdicts.folders.some((f) => f.verdict === 'rejected')) ctx.exitCode = ExitCode.invalid;
        return ctx.result(verdicts);
      }
      const fields = { comment: flags.comment, timeSpent: flags.time ? parseTimeSpent(flags.time) : undefined, status: flags.status };
      const answer = await publishDrop(drop, flags.user, fields);
      const names = answer.folders.map((f) => f.filename);
      const logged = fields.timeSpent ? ` (${formatTimeSpent(fields.timeSpent)} logged)` : '';
      if (flags.wait === false) {
        return ctx.result({ job: answer.job, folders: names }, (a, style) => `${style.green('✔')} uploading ${a.folders.join(', ')} in '${a.job.name}'${logged}; HQ publishes when it lands`);
      }
      ctx.out.note(`uploading ${names.join(', ')} in '${answer.job.name}'${logged}; HQ checks every file as it lands`);
      const outcome = await waitForPublish(drop, answer.job.id, { signal: ctx.signal });
      const refused = outcomeError(outcome);
      if (refused) throw refused;
      ctx.result({ job: answer.job, folders: names, outcome }, (a, style) =>
        a.outcome.publishes.map((p) => `${style.green('✔')} ${p.folder} published as version ${p.version ?? '?'}`).join('\n'));
    }));
}
