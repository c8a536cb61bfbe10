/**
 * How the transfer commands reach the core: the HTTP API of a running server
 * (`--server`, token in HANDOFF_TOKEN), or the embedded core over the data
 * folder of the config in use (`--data-dir`); lib/cli/hq.ts has the rules.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import { createEmbeddedTransfer } from '../../transfer/embedded.ts';
import { createRemoteTransfer } from '../../transfer/remote.ts';
import type { Job, TransferAdapter } from '../../transfer/types.ts';
import type { CommandContext } from '../action.ts';
import { formatBytes } from '../format.ts';
import { adminToken, dataDirOf, serverOf } from '../hq.ts';

export interface ClientOptions {
  server?: string;
  dataDir?: string;
  hqRoot?: string;
  vendorRoot?: string[];
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--server <url>', 'a running HQ server, e.g. http://hq:8730 (or HANDOFF_SERVER; token in HANDOFF_TOKEN)')
    .option('--data-dir <dir>', 'data folder to work on without a server (default transfer.dataDir of the config)')
    .option('--hq-root <dir>', 'HQ storage volume folder (or HANDOFF_HQ_ROOT)')
    .option('--vendor-root <vendor=dir>', 'a vendor folder mounted here (repeatable)', (value: string, all: string[] = []) => [...all, value]);
}

export function hqRootOf(options: ClientOptions): string | undefined {
  const root = options.hqRoot ?? process.env.HANDOFF_HQ_ROOT;
  return root ? path.resolve(root) : undefined;
}

function vendorRoots(entries: string[] = []): Record<string, string> {
  const roots: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) {
      throw new HandoffError('CLI_OPTION_INVALID', `--vendor-root expects VENDOR=DIR, got ${entry}`, { hint: 'For example --vendor-root CompersInc=/mnt/vendors/compers' });
    }
    roots[entry.slice(0, at)] = path.resolve(entry.slice(at + 1));
  }
  return roots;
}

/** Opens the adapter the options point at; `schedule` runs transfers in this process (embedded only). */
export async function openTransfer(ctx: CommandContext, options: ClientOptions, schedule: boolean): Promise<TransferAdapter> {
  const { env } = ctx.io;
  const server = serverOf(options.server, env);
  const config = options.dataDir || env['HANDOFF_DATA_DIR'] ? undefined : await ctx.loadConfig();
  const dataDir = dataDirOf(options.dataDir, env, config);
  if (server) return createRemoteTransfer({ url: `${server}/api/transfer`, token: await adminToken(env, config, dataDir) });
  const hq = hqRootOf(options);
  return createEmbeddedTransfer({ dataDir, schedule, roots: { hq: hq ? { default: hq } : {}, vendors: vendorRoots(options.vendorRoot) } });
}

/** Runs a command body with the adapter and always closes it; errors reach the CLI's central handler. */
export async function withTransfer<T>(ctx: CommandContext, options: ClientOptions, schedule: boolean, body: (adapter: TransferAdapter) => Promise<T>): Promise<T> {
  const adapter = await openTransfer(ctx, options, schedule);
  try {
    return await body(adapter);
  } finally {
    await adapter.close();
  }
}

/** One line about a job's progress for people. */
export function progressLine(job: Job): string {
  const p = job.progress;
  const eta = p.eta === undefined ? '' : ` ETA ${Math.round(p.eta)}s`;
  const present = p.filesPresent ? ` (${p.filesPresent} already there)` : '';
  const changed = p.filesVendorChanged ? `, ${p.filesVendorChanged} changed at the vendor` : '';
  return `${job.status.padEnd(7)} ${(p.fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)} ${p.filesDone}/${p.filesTotal} files${present}${changed} ${formatBytes(p.speed)}/s${eta}`;
}
