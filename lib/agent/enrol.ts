/**
 * Enrols this machine as a vendor's agent: trades HQ's one-time code for a
 * certificate (the private key never leaves this machine), then records where
 * HQ is and which folder is the vendor's root.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { isLoopback } from '../server/http-security.ts';
import { enrolAgent, parseHqUrl } from '../transfer/wire/index.ts';
import { readAgentSettings, writeAgentSettings, type AgentSettings } from './home.ts';

export interface EnrolHomeOptions {
  home: string;
  hqUrl: string;
  serverUrl?: string | undefined;
  code: string;
  root: string;
  /** This agent's name among the vendor's agents; default the machine's host name. */
  name?: string | undefined;
  /** Revoke the vendor's agent of this name and take its place. */
  replace?: string | undefined;
  /** Replace an existing enrolment in this home. */
  force?: boolean | undefined;
  timeoutMs?: number | undefined;
}

async function alreadyEnrolled(home: string): Promise<AgentSettings | undefined> {
  try {
    return await readAgentSettings(home);
  } catch (err) {
    if (err instanceof HandoffError && err.code === 'AGENT_NOT_ENROLLED') return undefined;
    throw err;
  }
}

/** The root as an absolute path; refused when it exists and is not a folder (made only once enrolled). */
async function checkRoot(root: string): Promise<string> {
  const absolute = path.resolve(root);
  const found = await stat(absolute).catch(() => undefined);
  if (found && !found.isDirectory()) {
    throw new HandoffError('AGENT_ROOT_INVALID', `${absolute} is not a folder`, { details: { root: absolute }, hint: 'Give --root a folder for deliveries.' });
  }
  return absolute;
}

/** Runs the enrolment; when it fails, a home folder it made is removed again, so nothing is left behind. */
async function enrolOrLeaveNothing<T>(home: string, enrol: () => Promise<T>): Promise<T> {
  const existed = await stat(home).then(() => true, () => false);
  try {
    return await enrol();
  } catch (err) {
    if (!existed) await rm(home, { recursive: true, force: true });
    throw err;
  }
}

export async function enrolAgentHome(options: EnrolHomeOptions): Promise<AgentSettings> {
  parseHqUrl(options.hqUrl);
  if (options.serverUrl !== undefined && !/^https?:\/\/[^/]+/.test(options.serverUrl)) {
    throw new HandoffError('AGENT_SERVER_URL_INVALID', `Not an HTTP address: ${options.serverUrl}`, { hint: 'Use http(s)://HOST:PORT as printed by `handoff vendor invite`.' });
  }
  if (options.serverUrl?.startsWith('http://') && !isLoopback(new URL(options.serverUrl).hostname)) {
    throw new HandoffError('AGENT_PLAIN_HTTP_REFUSED', `The agent will not send requests to ${options.serverUrl} in clear text`, {
      details: { serverUrl: options.serverUrl },
      hint: 'Use HQ\'s https:// address as printed by `handoff vendor invite`.',
    });
  }
  const existing = await alreadyEnrolled(options.home);
  if (existing && !options.force) {
    throw new HandoffError('AGENT_ALREADY_ENROLLED', `${options.home} is already enrolled for ${existing.vendor} at ${existing.hqUrl}`, {
      details: { home: options.home, vendor: existing.vendor },
      hint: 'Add --force to replace it here (with --replace NAME HQ also revokes the old agent), or use another --home.',
    });
  }
  const root = await checkRoot(options.root);
  const name = options.name ?? (os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64) || 'agent');
  const credentials = await enrolOrLeaveNothing(options.home, () => enrolAgent({ hqUrl: options.hqUrl, code: options.code, dir: options.home, timeoutMs: options.timeoutMs, name, replace: options.replace }));
  await mkdir(root, { recursive: true });
  const settings: AgentSettings = {
    hqUrl: options.hqUrl,
    ...(options.serverUrl ? { serverUrl: options.serverUrl.replace(/\/+$/, '') } : {}),
    vendor: credentials.vendor,
    ...(credentials.name ? { name: credentials.name } : {}),
    root,
    enrolledAt: new Date().toISOString(),
  };
  await writeAgentSettings(options.home, settings);
  return settings;
}
