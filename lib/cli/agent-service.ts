/** Writes, enables and removes the agent's service definition (lib/agent/service.ts makes it). */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { servicePlan, type ServicePlan } from '../agent/service.ts';
import { HandoffError } from '../core/errors.ts';

const BIN = fileURLToPath(new URL('../../bin/handoff.js', import.meta.url));

function planFor(home: string): ServicePlan {
  return servicePlan({ platform: process.platform, node: process.execPath, bin: BIN, home });
}

export async function installService(home: string, enable: boolean): Promise<ServicePlan> {
  const plan = planFor(home);
  await mkdir(path.dirname(plan.file), { recursive: true });
  await writeFile(plan.file, plan.content);
  if (enable) {
    for (const [command = '', ...args] of plan.enable) {
      const result = await execa(command, args, { reject: false });
      if (result.exitCode !== 0) {
        throw new HandoffError('AGENT_SERVICE_FAILED', `\`${[command, ...args].join(' ')}\` failed: ${result.stderr || result.stdout || `exit ${result.exitCode}`}`, {
          details: { file: plan.file },
          hint: 'The definition is written; run the command yourself, or `handoff agent service install --no-enable` and enable it your way.',
        });
      }
    }
  }
  return plan;
}

export async function uninstallService(home: string): Promise<ServicePlan> {
  const plan = planFor(home);
  // Stopping what is not running fails harmlessly; the definition goes either way.
  for (const [command = '', ...args] of plan.disable) await execa(command, args, { reject: false });
  await rm(plan.file, { force: true });
  return plan;
}
