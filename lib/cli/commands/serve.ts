/**
 * `handoff serve`: the HQ server (transfer core, agent listener, tracker
 * actions, hooks, HTTP API and dashboard) until Ctrl-C or SIGTERM, then a
 * graceful stop: requests end, transfers checkpoint, agents are let go.
 */
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import { createHqServer, serverOptionsFromConfig } from '../../server/index.ts';
import { createTracker } from '../../tracker/index.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { addressWarnings } from '../addresses.ts';

interface Flags {
  host?: string;
  port?: string;
  listenHost?: string;
  listenPort?: string;
  dataDir?: string;
  listener?: boolean;
  tracker?: boolean;
}

function portOf(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port < 65536) return port;
  throw new HandoffError('CLI_OPTION_INVALID', `${flag} must be a port number (0..65535), got ${JSON.stringify(value)}`, { hint: `For example ${flag} 8730; 0 picks a free port.` });
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the HQ server: transfers, vendor agents, tracker actions, hooks, API and dashboard')
    .option('--host <host>', 'HTTP address (default server.host)')
    .option('--port <port>', 'HTTP port (default server.port; 0 picks a free one)')
    .option('--listen-host <host>', 'address vendor agents connect to (default transfer.listen.host)')
    .option('--listen-port <port>', 'port vendor agents connect to (default transfer.listen.port)')
    .option('--data-dir <dir>', 'databases and HQ identity (default transfer.dataDir)')
    .option('--no-listener', 'accept no vendor agents (local copies only)')
    .option('--no-tracker', 'run without the tracker (no actions, no pre-publish)')
    .addHelpText('after', '\nAdmin tokens come from HANDOFF_ADMIN_TOKENS or HANDOFF_ADMIN_TOKENS_FILE; without either, one is\ngenerated into <data dir>/admin-token. The tracker API key comes from FTRACK_API_KEY or FTRACK_API_KEY_FILE.')
    .action(cliAction(async (ctx: CommandContext, flags: Flags) => {
      const config = await ctx.loadConfig();
      const { options, tokenFile } = await serverOptionsFromConfig(
        config,
        {
          dataDir: flags.dataDir,
          host: flags.host,
          port: portOf(flags.port, '--port'),
          listenHost: flags.listenHost,
          listenPort: portOf(flags.listenPort, '--listen-port'),
          noListener: flags.listener === false,
        },
        ctx.io.env,
      );
      const tracker = flags.tracker === false ? undefined : await createTracker(config.tracker, ctx.io.env);
      try {
        const server = await createHqServer({ ...options, tracker, logger: ctx.log });
        const vendors = { server: options.publicUrl ?? server.url, agents: options.publicWireUrl ?? server.wireUrl };
        const warnings = addressWarnings({ ...vendors, serverIsPublic: Boolean(options.publicUrl), agentsArePublic: Boolean(options.publicWireUrl) });
        for (const warning of warnings) ctx.log.warn(warning);
        ctx.result(
          { url: server.url, dashboard: server.dashboardUrl(), agents: server.wireUrl ?? null, vendors, warnings, dataDir: options.dataDir, adminTokenFile: tokenFile ?? null },
          (info, style) =>
            [
              `${style.green('serving')} ${info.url}`,
              `  dashboard  ${info.dashboard}`,
              `  agents     ${info.agents ?? 'off'}`,
              `  vendors    ${info.vendors.server}${info.vendors.agents ? `  ${info.vendors.agents}` : ''}${info.warnings.length ? style.yellow('  (only this machine reaches these: see the warnings)') : ''}`,
              `  data       ${info.dataDir}`,
              ...(info.adminTokenFile ? [`  admin token in ${info.adminTokenFile}`] : []),
              '  Ctrl-C stops it.',
            ].join('\n'),
        );
        await ctx.untilStopped();
        await server.close();
      } finally {
        await tracker?.close();
      }
    }));
}
