/**
 * The tools a studio would use instead, run on the same link in the same run:
 * rsync, scp and tar over ssh (and rclone sftp when installed), pushing to (or,
 * for uploads, pulling from) a private sshd on the vendor side (key auth only,
 * started here, stopped at the end).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { cpuSeconds } from './processes.ts';

export interface Sshd {
  host: string;
  port: number;
  key: string;
  pid: number;
  /** Ends every ssh session (a killed client leaves the far end writing, such as rsync's receiver). */
  endSessions(): void;
  stop(): void;
}

export function installedTools(): string[] {
  const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (!existsSync('/usr/sbin/sshd') || !has('ssh')) return [];
  return [has('rsync') && 'rsync', has('scp') && 'scp', has('tar') && 'tar+ssh', has('rclone') && 'rclone'].filter((tool): tool is string => !!tool);
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startSshd(dir: string, host: string, namespaces: { server?: string; client?: string } = {}): Promise<Sshd> {
  const namespace = namespaces.server;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir('/run/sshd', { recursive: true });
  const key = path.join(dir, 'client');
  for (const file of ['host', 'client']) {
    if (!existsSync(path.join(dir, file))) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, file)]);
  }
  await writeFile(path.join(dir, 'authorized_keys'), execFileSync('cat', [`${key}.pub`]), { mode: 0o600 });
  const port = namespace ? 2222 : await freePort();
  const config = path.join(dir, 'sshd_config');
  await writeFile(
    config,
    [`Port ${port}`, `ListenAddress ${host}`, `HostKey ${dir}/host`, `AuthorizedKeysFile ${dir}/authorized_keys`, 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', `PidFile ${dir}/sshd.pid`,
      'Subsystem sftp internal-sftp'].join('\n') + '\n',
  );
  const command = ['/usr/sbin/sshd', '-D', '-f', config, '-E', path.join(dir, 'sshd.log')];
  const child: ChildProcess = spawn(namespace ? 'ip' : command[0]!, namespace ? ['netns', 'exec', namespace, ...command] : command.slice(1), { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    const probeCommand = ['ssh', ...sshOptions({ port, key }), `root@${host}`, 'true'];
    const probe = namespaces.client ? spawnSync('ip', ['netns', 'exec', namespaces.client, ...probeCommand], { timeout: 5000 }) : spawnSync(probeCommand[0]!, probeCommand.slice(1), { timeout: 5000 });
    if (probe.status === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host,
    port,
    key,
    pid: child.pid!,
    endSessions: () => void spawnSync('pkill', ['-KILL', '-P', String(child.pid)]),
    stop: () => child.kill('SIGTERM'),
  };
}

function sshOptions(target: { port: number; key: string }): string[] {
  return ['-p', String(target.port), '-i', target.key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes'];
}

/**
 * The shell command a tool runs to copy `source` (a folder) into `destination`:
 * pushed to the sshd side, or pulled from it (`pull`: `source` is on the sshd
 * side, as a vendor's upload is).
 */
export function toolCommand(tool: string, sshd: Sshd, source: string, destination: string, pull = false): string {
  const ssh = `ssh ${sshOptions(sshd).join(' ')}`;
  const remote = `root@${sshd.host}`;
  const q = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  if (pull) {
    switch (tool) {
      case 'rsync':
        return `rsync -a -e ${q(ssh)} ${q(`${remote}:${source}`)} ${q(`${destination}/`)}`;
      case 'scp':
        return `scp -q -r ${sshOptions(sshd).join(' ').replace('-p ', '-P ')} ${q(`${remote}:${source}`)} ${q(`${destination}/`)}`;
      case 'tar+ssh':
        return `${ssh} ${remote} ${q(`tar -C ${path.dirname(source)} -cf - ${path.basename(source)}`)} | tar -C ${q(destination)} -xf -`;
      case 'rclone':
        return `rclone copy ${q(`:sftp,host=${sshd.host},port=${sshd.port},key_file=${sshd.key},user=root,disable_hashcheck=true:${source}`)} ${q(`${destination}/${path.basename(source)}`)} --transfers 8 --checkers 16`;
      default:
        throw new Error(`unknown tool ${tool}`);
    }
  }
  switch (tool) {
    case 'rsync':
      return `rsync -a -e ${q(ssh)} ${q(source)} ${q(`${remote}:${destination}/`)}`;
    case 'scp':
      return `scp -q -r ${sshOptions(sshd).join(' ').replace('-p ', '-P ')} ${q(source)} ${q(`${remote}:${destination}/`)}`;
    case 'tar+ssh':
      return `tar -C ${q(path.dirname(source))} -cf - ${q(path.basename(source))} | ${ssh} ${remote} ${q(`tar -C ${destination} -xf -`)}`;
    case 'rclone':
      return `rclone copy ${q(source)} ${q(`:sftp,host=${sshd.host},port=${sshd.port},key_file=${sshd.key},user=root,disable_hashcheck=true:${destination}/${path.basename(source)}`)} --transfers 8 --checkers 16`;
    default:
      throw new Error(`unknown tool ${tool}`);
  }
}

/** Runs a tool (killed after `timeoutSeconds`); returns wall seconds and CPU seconds of the tool and the sshd side. */
export function runTool(
  tool: string,
  sshd: Sshd,
  source: string,
  destination: string,
  namespace: string | undefined,
  timeoutSeconds: number,
  pull = false,
): { seconds: number; cpuSeconds: number; ok: boolean; timedOut: boolean } {
  const command = toolCommand(tool, sshd, source, destination, pull);
  const self = cpuSeconds(process.pid, true) - cpuSeconds(process.pid);
  const server = cpuSeconds(sshd.pid, true);
  const started = performance.now();
  const result = spawnSync(namespace ? 'ip' : 'bash', namespace ? ['netns', 'exec', namespace, 'bash', '-c', command] : ['-c', command], { stdio: 'inherit', timeout: timeoutSeconds * 1000, killSignal: 'SIGKILL' });
  const seconds = (performance.now() - started) / 1000;
  const used = cpuSeconds(process.pid, true) - cpuSeconds(process.pid) - self + (cpuSeconds(sshd.pid, true) - server);
  return { seconds, cpuSeconds: used, ok: result.status === 0, timedOut: result.signal === 'SIGKILL' };
}
