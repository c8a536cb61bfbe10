/**
 * The resume case: HQ (the embedded core, as `handoff serve` runs it) delivers a
 * dataset, kills itself with SIGKILL once the job reaches `killAt`, and a new HQ
 * process on the same data folder and port finishes it; the agent stays up and
 * reconnects. Wire bytes are the file bytes both HQ processes sent, against the
 * dataset's size (nothing the agent verified should go twice).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from './datasets.ts';
import { spawnNode } from './processes.ts';
import { verifyCopy } from './verify.ts';

export interface ResumeResult {
  killedAt: number;
  firstBytes: number;
  secondBytes: number;
  secondSeconds: number;
  ratio: number;
  ok: boolean;
}

export async function runResume(here: string, dataRoot: string, state: string, destinationRoot: string, dataset: Dataset, killAt: number): Promise<ResumeResult> {
  const vendorRoot = path.join(destinationRoot, 'resume-vendor');
  await rm(state, { recursive: true, force: true });
  await rm(vendorRoot, { recursive: true, force: true });
  await mkdir(vendorRoot, { recursive: true });
  const base = { host: '127.0.0.1', dataDir: path.join(state, 'hq-data'), dataRoot, identityDir: path.join(state, 'identity'), source: dataset.folder, totalBytes: dataset.totalBytes };
  const script = path.join(here, 'transfer/hq-core-process.ts');
  const first = spawnNode(script, [JSON.stringify({ ...base, port: 0, killAt, enrol: true })]);
  const listening = JSON.parse(await first.next((line) => line.includes('"listening"'), 60_000)) as { url: string; code: string };
  const agent = spawnNode(path.join(here, 'transfer/agent-process.ts'), [listening.url, listening.code, vendorRoot, path.join(state, 'agent')]);
  try {
    await agent.next((line) => line === 'connected', 60_000);
    const killed = JSON.parse(await first.next((line) => line.includes('"killed"'), 10 * 60_000)) as { bytesSent: number; fraction: number };
    await first.exited(10_000);
    const port = Number(listening.url.split(':').pop());
    const second = spawnNode(script, [JSON.stringify({ ...base, port })]);
    const result = JSON.parse(await second.next((line) => line.includes('"result"'), 10 * 60_000)) as { status: string; bytesSent: number; seconds: number };
    await second.exited(10_000);
    const ok = result.status === 'done' && (await verifyCopy(path.join(dataRoot, dataset.folder), path.join(vendorRoot, dataset.folder)));
    return {
      killedAt: killed.fraction,
      firstBytes: killed.bytesSent,
      secondBytes: result.bytesSent,
      secondSeconds: result.seconds,
      ratio: (killed.bytesSent + result.bytesSent) / dataset.totalBytes,
      ok,
    };
  } finally {
    agent.child.kill('SIGTERM');
    await agent.exited(10_000);
    await rm(vendorRoot, { recursive: true, force: true });
    await rm(state, { recursive: true, force: true });
  }
}
