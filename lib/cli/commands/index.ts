import type { Command } from 'commander';
import { register as config } from './config.ts';
import { register as outsource } from './outsource.ts';

/** Each subcommand module exports a function that adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [config, outsource];
