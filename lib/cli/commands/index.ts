import type { Command } from 'commander';
import { register as agent } from './agent.ts';
import { register as config } from './config.ts';
import { register as demo } from './demo.ts';
import { register as emulate } from './emulate.ts';
import { register as jobs } from './jobs.ts';
import { register as outsource } from './outsource.ts';
import { register as prepublish } from './prepublish.ts';
import { register as publish } from './publish.ts';
import { register as send } from './send.ts';
import { register as serve } from './serve.ts';
import { register as vendor } from './vendor.ts';

/** Each subcommand module exports a function that adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [config, demo, emulate, outsource, prepublish, publish, send, jobs, agent, vendor, serve];
