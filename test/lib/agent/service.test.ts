/**
 * The service definitions that keep the agent running, as written for each OS:
 * systemd's own `systemd-analyze verify` checks the unit where it is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { servicePlan } from '../../../lib/agent/service.ts';

const BIN = fileURLToPath(new URL('../../../bin/handoff.js', import.meta.url));
const HOME = '/srv/vendor/agent home';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('agent service definitions', () => {
  it('writes a systemd user unit that runs the agent and does not loop on a config error', async () => {
    const plan = servicePlan({ platform: 'linux', node: process.execPath, bin: BIN, home: HOME, userHome: '/home/emma' });
    expect(plan.file).toBe('/home/emma/.config/systemd/user/handoff-agent.service');
    expect(plan.content).toContain(`ExecStart="${process.execPath}" "${BIN}" "agent" "--home" "${HOME}" "run"`);
    expect(plan.content).toMatch(/^Restart=on-failure$/m);
    expect(plan.content).toMatch(/^RestartPreventExitStatus=3 6$/m);
    expect(plan.enable).toContainEqual(['systemctl', '--user', 'enable', '--now', 'handoff-agent.service']);
    const analyze = '/usr/bin/systemd-analyze';
    if (!existsSync(analyze)) return;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-unit-'));
    dirs.push(dir);
    const unit = path.join(dir, 'handoff-agent.service');
    await writeFile(unit, plan.content);
    const { stderr } = await promisify(execFile)(analyze, ['verify', '--man=no', unit]).catch((err: { stderr: string; code: number }) => {
      throw new Error(`systemd-analyze verify failed (${err.code}): ${err.stderr}`);
    });
    expect(stderr).not.toMatch(/handoff-agent\.service:\d+/);
  });

  it('writes a launchd agent for macOS with each argument as its own string', () => {
    const plan = servicePlan({ platform: 'darwin', node: '/usr/local/bin/node', bin: '/opt/handoff/bin/handoff.js', home: '/Users/emma/.handoff-agent & co', userHome: '/Users/emma' });
    expect(plan.file).toBe('/Users/emma/Library/LaunchAgents/com.handoff.agent.plist');
    expect(plan.content).toContain('<string>/Users/emma/.handoff-agent &amp; co</string>');
    expect(plan.content).toContain('<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>');
    expect(plan.content.match(/<string>/g)).toHaveLength(1 + 6 + 2);
    expect(plan.enable).toEqual([['launchctl', 'load', '-w', plan.file]]);
  });

  it('writes a Windows scheduled task that starts at logon and restarts on failure', () => {
    const plan = servicePlan({ platform: 'win32', node: 'C:\\Program Files\\nodejs\\node.exe', bin: 'C:\\handoff\\bin\\handoff.js', home: 'C:\\Users\\emma\\.handoff agent' });
    expect(plan.content).toContain('<Command>C:\\Program Files\\nodejs\\node.exe</Command>');
    expect(plan.content).toContain('<Arguments>C:\\handoff\\bin\\handoff.js agent --home &quot;C:\\Users\\emma\\.handoff agent&quot; run</Arguments>');
    expect(plan.content).toContain('<LogonTrigger>');
    expect(plan.content).toContain('<RestartOnFailure>');
    expect(plan.enable[0]).toEqual(['schtasks', '/Create', '/TN', 'handoff-agent', '/XML', plan.file, '/F']);
  });
});
