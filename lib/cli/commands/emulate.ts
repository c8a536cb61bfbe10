/**
 * `handoff emulate ftrack`: runs the ftrack-compatible server until SIGINT or
 * SIGTERM. With the global --json it prints one line `{"url","user","apiKey"}`
 * once it serves; otherwise it says how to connect. A failure to start goes to
 * the central handler like any command's: the standard envelope and exit code.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { expandHome } from '../hq.ts';

/** The port the emulator keeps from one start to the next, so its URL in a config stays right. */
const DEFAULT_PORT = 8780;
import { parseFaults, startFtrackEmulator, type FtrackEmulator } from '../../emulators/ftrack/index.ts';
import { registerShotgrid } from './emulate-shotgrid.ts';

interface EmulateFtrackOptions {
  port: string;
  host: string;
  seed?: string;
  user?: string;
  apiKey?: string;
  /** A file, or false with --no-persist. */
  persist?: string | false;
  dataDir?: string;
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
  const emulator = await start(options, ctx.io.env);
  announce(emulator, options.json);
  await ctx.untilStopped();
  await emulator.close();
}

/**
 * Where the emulator keeps its data unless told otherwise: a folder under the data folder, so a
 * restart finds the same projects, the same port and the same API key.
 */
async function storage(options: EmulateFtrackOptions, env: NodeJS.ProcessEnv): Promise<{ persist?: string; apiKey?: string; seed?: string }> {
  if (options.persist === false) return { ...(options.apiKey ? { apiKey: options.apiKey } : {}), seed: options.seed ?? 'demo' };
  const dir = path.resolve(expandHome(options.dataDir ?? path.join(env['HANDOFF_DATA_DIR'] || '~/.handoff', 'emulators', 'ftrack')));
  await mkdir(dir, { recursive: true });
  const persist = typeof options.persist === 'string' ? path.resolve(options.persist) : path.join(dir, 'store.json');
  const keyFile = path.join(dir, 'api-key');
  const apiKey = options.apiKey ?? ((await readFile(keyFile, 'utf8').catch(() => '')).trim() || randomUUID());
  await writeFile(keyFile, `${apiKey}\n`, { mode: 0o600 });
  const fresh = !(await stat(persist).then(() => true, () => false));
  return { persist, apiKey, ...(options.seed || fresh ? { seed: options.seed ?? 'demo' } : {}) };
}

async function start(options: EmulateFtrackOptions, env: NodeJS.ProcessEnv): Promise<FtrackEmulator> {
  const stored = await storage(options, env);
  return startFtrackEmulator({
    port: parsePort(options.port),
    host: options.host,
    ...stored,
    ...(options.user ? { user: options.user } : {}),
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
    .option('--port <n>', 'port to listen on (0 picks a free one)', String(DEFAULT_PORT))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--seed <name-or-file>', 'studio seed for a new store (default demo)')
    .option('--user <username>', 'API user (default: the seed\'s first user)')
    .option('--api-key <key>', 'API key (default: one made once and kept in the data folder)')
    .option('--data-dir <dir>', 'where the data and API key are kept (default $HANDOFF_DATA_DIR/emulators/ftrack, ~/.handoff/emulators/ftrack)')
    .option('--persist <file>', 'load and save the data in this JSON file instead of the data folder')
    .option('--no-persist', 'keep everything in memory: a fresh seed and a random key on each start')
    .option('--faults <json>', 'fault injection, e.g. {"latencyMs":200,"failNext":2,"failWith":"html"}')
    .action(cliAction(run));
  registerShotgrid(emulate);
}
