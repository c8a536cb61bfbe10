/**
 * `handoff emulate ftrack`: runs the ftrack-compatible server until SIGINT or
 * SIGTERM. With the global --json it prints one line `{"url","user","apiKey"}`
 * once it serves; otherwise it says how to connect. A failure to start goes to
 * the central handler like any command's: the standard envelope and exit code.
 */
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { parseFaults, startFtrackEmulator, type FtrackEmulator } from '../../emulators/ftrack/index.ts';
import { registerShotgrid } from './emulate-shotgrid.ts';

interface EmulateFtrackOptions {
  port: string;
  host: string;
  seed?: string;
  user?: string;
  apiKey?: string;
  persist?: string;
  faults?: string;
  json?: boolean;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new HandoffError('CLI_OPTION_INVALID', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(text)}.`, {
      hint: 'Use 0 to pick a free port.',
    });
  }
  return port;
}

function parseFaultsOption(text: string | undefined) {
  if (text === undefined) return {};
  try {
    return parseFaults(JSON.parse(text));
  } catch (err) {
    if (err instanceof HandoffError) throw err;
    throw new HandoffError('FTRACK_EMULATOR_FAULTS_INVALID', `--faults is not JSON: ${(err as Error).message}`, {
      hint: 'Pass e.g. --faults \'{"latencyMs":200,"failRate":0.1}\'.',
    });
  }
}

async function run(ctx: CommandContext, options: EmulateFtrackOptions): Promise<void> {
  // --json is the program-wide flag; here it means one line {"url","user","apiKey"} when ready.
  options.json = ctx.json;
  const emulator = await start(options);
  announce(emulator, options.json);
  await ctx.untilStopped();
  await emulator.close();
}

async function start(options: EmulateFtrackOptions): Promise<FtrackEmulator> {
  return startFtrackEmulator({
    port: parsePort(options.port),
    host: options.host,
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.persist ? { persist: options.persist } : {}),
    faults: parseFaultsOption(options.faults),
  });
}

function announce(emulator: FtrackEmulator, json: boolean | undefined): void {
  if (json) {
    console.log(JSON.stringify({ url: emulator.url, user: emulator.user, apiKey: emulator.apiKey }));
  } else {
    console.log(`ftrack emulator serving at ${emulator.url}`);
    console.log(`  FTRACK_SERVER=${emulator.url}`);
    console.log(`  FTRACK_API_USER=${emulator.user}`);
    console.log(`  FTRACK_API_KEY=${emulator.apiKey}`);
    console.log('Press Ctrl+C to stop.');
  }
}

export function register(program: Command): void {
  const emulate = program.command('emulate').description('Run local stand-ins for production trackers');
  emulate
    .command('ftrack')
    .description('Serve an ftrack-compatible API, event hub and file store on loopback')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--seed <name-or-file>', 'studio seed to load (e.g. demo)')
    .option('--user <username>', 'API user (default: the seed\'s first user)')
    .option('--api-key <key>', 'API key (default: random)')
    .option('--persist <file>', 'load and save the data in this JSON file')
    .option('--faults <json>', 'fault injection, e.g. {"latencyMs":200,"failNext":2,"failWith":"html"}')
    .action(cliAction(run));
  registerShotgrid(emulate);
}
