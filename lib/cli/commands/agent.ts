/**
 * `handoff agent enrol --hq URL --code CODE` stores the vendor agent's key and
 * certificate (0600) after a one-time enrolment; `handoff agent run --hq URL
 * --root DIR` keeps the agent connected to HQ (it dials out and reconnects by
 * itself) until it is stopped.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import { connectAgent, enrolAgent, loadAgentCredentials } from '../../transfer/wire/index.ts';

interface AgentCliOptions {
  hq: string;
  dir?: string;
  json?: boolean;
}

const defaultDir = (): string => process.env.HANDOFF_AGENT_DIR ?? path.join(os.homedir(), '.handoff', 'agent');

function say(options: AgentCliOptions, human: string, data: Record<string, unknown>): void {
  if (options.json) process.stdout.write(`${JSON.stringify(data)}\n`);
  else process.stdout.write(`${human}\n`);
}

async function reporting(options: AgentCliOptions, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!(err instanceof HandoffError)) throw err;
    if (options.json) process.stdout.write(`${JSON.stringify({ error: err.toJSON() })}\n`);
    else process.stderr.write(`error ${err.code}: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}\n`);
    process.exitCode = 1;
  }
}

export function register(program: Command): void {
  const agent = program.command('agent').description('Run the vendor agent that connects to HQ');
  agent
    .command('enrol')
    .description('Enrol this machine with the one-time code HQ gave you')
    .requiredOption('--hq <url>', 'HQ address, handoff://HOST:PORT')
    .requiredOption('--code <code>', 'one-time enrolment code')
    .option('--dir <dir>', 'where to keep the agent key and certificate', defaultDir())
    .option('--json', 'machine-readable output')
    .action(async (options: AgentCliOptions & { code: string }) =>
      reporting(options, async () => {
        const dir = options.dir ?? defaultDir();
        const credentials = await enrolAgent({ hqUrl: options.hq, code: options.code, dir });
        say(options, `enrolled as ${credentials.vendor}; credentials in ${dir}`, { vendor: credentials.vendor, dir });
      }),
    );
  agent
    .command('run')
    .description('Connect to HQ and serve its transfers until stopped')
    .requiredOption('--hq <url>', 'HQ address, handoff://HOST:PORT')
    .requiredOption('--root <dir>', 'the folder HQ delivers into and uploads from')
    .option('--dir <dir>', 'where the agent key and certificate are', defaultDir())
    .option('--json', 'machine-readable output')
    .action(async (options: AgentCliOptions & { root: string }) =>
      reporting(options, async () => {
        const credentials = await loadAgentCredentials(options.dir ?? defaultDir());
        const running = await connectAgent({
          hqUrl: options.hq,
          credentials,
          root: path.resolve(options.root),
          onStatus: (status) => say(options, `agent ${status.state}${status.state === 'refused' ? `: ${status.message}` : ''}`, { ...status }),
        });
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      }),
    );
}
