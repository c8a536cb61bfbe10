/**
 * `handoff agent service install|uninstall`: the files that keep the agent
 * running on the vendor's machine — a systemd user unit (Linux), a launchd
 * agent (macOS), a Task Scheduler task (Windows) — and the commands that
 * enable or remove them. Generation is pure, so the files can be checked.
 */
import os from 'node:os';
import path from 'node:path';

export interface ServiceTarget {
  platform: NodeJS.Platform;
  /** The node binary and the handoff entry script to run. */
  node: string;
  bin: string;
  /** The agent home (credentials, settings). */
  home: string;
  userHome?: string;
}

export interface ServicePlan {
  /** Where the definition is written. */
  file: string;
  content: string;
  /** Commands that enable and start it, then the ones that stop and remove it. */
  enable: string[][];
  disable: string[][];
}

const NAME = 'handoff-agent';
const LABEL = 'com.handoff.agent';

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A systemd command-line word: quoted, with `\\`, `"`, `%` and `$` escaped. */
const unitWord = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;

export function servicePlan(target: ServiceTarget): ServicePlan {
  const userHome = target.userHome ?? os.homedir();
  const args = [target.bin, 'agent', '--home', target.home, 'run'];
  if (target.platform === 'linux') {
    const file = path.join(userHome, '.config', 'systemd', 'user', `${NAME}.service`);
    const content = [
      '[Unit]',
      'Description=handoff vendor agent (receives deliveries, sends publishes)',
      'After=network-online.target',
      'Wants=network-online.target',
      '',
      '[Service]',
      'Type=simple',
      `ExecStart=${[target.node, ...args].map(unitWord).join(' ')}`,
      'Restart=on-failure',
      'RestartSec=10',
      // Exit codes 3 (config) and 6 (refused, e.g. a revoked key) need a person: no restart loop.
      'RestartPreventExitStatus=3 6',
      'Environment=NO_COLOR=1',
      '',
      '[Install]',
      'WantedBy=default.target',
      '',
    ].join('\n');
    return {
      file,
      content,
      enable: [['systemctl', '--user', 'daemon-reload'], ['systemctl', '--user', 'enable', '--now', `${NAME}.service`]],
      disable: [['systemctl', '--user', 'disable', '--now', `${NAME}.service`], ['systemctl', '--user', 'daemon-reload']],
    };
  }
  if (target.platform === 'darwin') {
    const file = path.join(userHome, 'Library', 'LaunchAgents', `${LABEL}.plist`);
    const logs = path.join(target.home, 'agent.log');
    const content = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
      '<plist version="1.0">',
      '<dict>',
      `  <key>Label</key><string>${LABEL}</string>`,
      '  <key>ProgramArguments</key>',
      '  <array>',
      ...[target.node, ...args].map((a) => `    <string>${xml(a)}</string>`),
      '  </array>',
      '  <key>RunAtLoad</key><true/>',
      '  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>',
      '  <key>ThrottleInterval</key><integer>10</integer>',
      `  <key>StandardOutPath</key><string>${xml(logs)}</string>`,
      `  <key>StandardErrorPath</key><string>${xml(logs)}</string>`,
      '</dict>',
      '</plist>',
      '',
    ].join('\n');
    return { file, content, enable: [['launchctl', 'load', '-w', file]], disable: [['launchctl', 'unload', '-w', file]] };
  }
  const file = path.join(target.home, `${NAME}.task.xml`);
  const quoted = args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
  const content = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo><Description>handoff vendor agent (receives deliveries, sends publishes)</Description></RegistrationInfo>',
    '  <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    '    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>',
    '  </Settings>',
    '  <Actions Context="Author">',
    `    <Exec><Command>${xml(target.node)}</Command><Arguments>${xml(quoted)}</Arguments></Exec>`,
    '  </Actions>',
    '</Task>',
    '',
  ].join('\n');
  return {
    file,
    content,
    enable: [['schtasks', '/Create', '/TN', NAME, '/XML', file, '/F'], ['schtasks', '/Run', '/TN', NAME]],
    disable: [['schtasks', '/End', '/TN', NAME], ['schtasks', '/Delete', '/TN', NAME, '/F']],
  };
}
