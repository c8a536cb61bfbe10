/**
 * `handoff emulate shotgrid`: runs the ShotGrid-compatible site until SIGINT
 * or SIGTERM. With the global --json it prints one line
 * `{"url","scriptName","scriptKey","userPassword","restUrl","rpcUrl"}` once it
 * serves; otherwise it says how to connect.
 */
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import { parseFaults, startShotgridEmulator, type ShotgridEmulator } from '../../emulators/shotgrid/index.ts';
import { cliAction, type CommandContext } from '../action.ts';

interface EmulateShotgridOptions {
  port: string;
  host: string;
  seed?: string;
  scriptName?: string;
  scriptKey?: string;
  userPassword?: string;
  tokenTtl?: string;
  persist?: string;
  faults?: string;
}

function whole(text: string, option: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new HandoffError('CLI_OPTION_INVALID', `${option} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}.`, { hint: option === '--port' ? 'Use 0 to pick a free port.' : `Pass seconds, e.g. ${option} 600.` });
  }
  return n;
}

function faultsOption(text: string | undefined) {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HandoffError('SHOTGRID_EMULATOR_FAULTS_INVALID', `--faults is not JSON: ${(err as Error).message}`, { hint: 'Pass e.g. --faults \'{"status":429,"failNext":2,"retryAfterSeconds":1}\'.' });
  }
  return parseFaults(parsed);
}

function announce(emulator: ShotgridEmulator, json: boolean): void {
  const line = { url: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey, userPassword: emulator.userPassword, restUrl: `${emulator.url}/api/v1`, rpcUrl: `${emulator.url}/api3/json` };
  if (json) return void console.log(JSON.stringify(line));
  console.log(`ShotGrid emulator serving at ${emulator.url} (REST ${line.restUrl}, JSON-RPC ${line.rpcUrl})`);
  console.log(`  SHOTGRID_SITE=${emulator.url}`);
  console.log(`  SHOTGRID_SCRIPT_NAME=${emulator.scriptName}`);
  console.log(`  SHOTGRID_SCRIPT_KEY=${emulator.scriptKey}`);
  console.log(`  every person's password: ${emulator.userPassword}`);
  console.log('Press Ctrl+C to stop.');
}

async function run(ctx: CommandContext, options: EmulateShotgridOptions): Promise<void> {
  const emulator = await startShotgridEmulator({
    port: whole(options.port, '--port', 65_535),
    host: options.host,
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.scriptName ? { scriptName: options.scriptName } : {}),
    ...(options.scriptKey ? { scriptKey: options.scriptKey } : {}),
    ...(options.userPassword ? { userPassword: options.userPassword } : {}),
    ...(options.tokenTtl ? { tokenTtlSeconds: whole(options.tokenTtl, '--token-ttl', 86_400) } : {}),
    ...(options.persist ? { persist: options.persist } : {}),
    faults: faultsOption(options.faults),
  });
  announce(emulator, ctx.json);
  await ctx.untilStopped();
  await emulator.close();
}

export function registerShotgrid(emulate: Command): void {
  emulate
    .command('shotgrid')
    .description('Serve a ShotGrid-compatible REST and JSON-RPC API, uploads and event log on loopback')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--seed <name-or-file>', 'studio seed to load (e.g. demo)')
    .option('--script-name <name>', 'script (ApiUser) name', 'handoff')
    .option('--script-key <key>', 'script key (default: random)')
    .option('--user-password <password>', "every person's password (default: random)")
    .option('--token-ttl <seconds>', 'lifetime of REST access tokens', '600')
    .option('--persist <file>', 'load and save the site in this JSON file')
    .option('--faults <json>', 'fault injection, e.g. {"status":429,"failNext":2,"retryAfterSeconds":1}')
    .action(cliAction(run));
}
