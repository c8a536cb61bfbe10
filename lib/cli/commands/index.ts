import type { Command } from 'commander';
import { register as emulate } from './emulate.ts';
import { register as registerJobs } from './jobs.ts';
import { register as registerSend } from './send.ts';
import { register as config } from './config.ts';

/** Each subcommand module exports a function that adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [config, emulate, registerSend, registerJobs];
