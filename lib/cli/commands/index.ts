/**
 * Every `handoff` command, by name, with the one line `handoff --help` shows.
 * A command's code (and its dependencies) is loaded only when it runs, so
 * `--version`, `--help` and quick commands start fast.
 */
import type { Command } from 'commander';

/** Each subcommand module exports a function that adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** The line in `handoff --help`; the module's own description is shown by `handoff NAME --help`. */
  summary: string;
  load(): Promise<{ register: RegisterCommand }>;
}

export const catalogue: CommandEntry[] = [
  { name: 'agent', summary: 'the vendor agent: enrol with HQ, run unattended, show status, publish results', load: () => import('./agent.ts') },
  { name: 'config', summary: 'check, start and locate the handoff config', load: () => import('./config.ts') },
  { name: 'demo', summary: 'run the whole outsourcing loop on this machine: ftrack emulator, HQ, a vendor agent, Outsource, delivery, publish', load: () => import('./demo.ts') },
  { name: 'emulate', summary: 'run local stand-ins for production trackers', load: () => import('./emulate.ts') },
  { name: 'jobs', summary: 'list and steer transfer jobs', load: () => import('./jobs.ts') },
  { name: 'outsource', summary: "send tracker tasks' files and descriptions to their vendor in today's delivery job", load: () => import('./outsource.ts') },
  { name: 'prepublish', summary: 'check result folders the way HQ does before a publish (nothing is uploaded)', load: () => import('./prepublish.ts') },
  { name: 'publish', summary: 'publish result folders to HQ; `publish plan` lists the publish plugins', load: () => import('./publish.ts') },
  { name: 'send', summary: 'send files from the HQ volume to a vendor', load: () => import('./send.ts') },
  { name: 'serve', summary: 'run the HQ server: transfers, vendor agents, tracker actions, hooks, API and dashboard', load: () => import('./serve.ts') },
  { name: 'vendor', summary: 'vendors at HQ: invite their agents', load: () => import('./vendor.ts') },
];

/** Commands registered up front besides the catalogue (tests add their own here). */
export const commands: RegisterCommand[] = [];
