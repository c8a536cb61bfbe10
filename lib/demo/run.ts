/**
 * `handoff demo`: the whole loop on one machine with nothing configured —
 * ftrack emulator, HQ server, vendor agent; Outsource clicked in the tracker,
 * the delivery, the vendor's result, pre-publish, upload, the post-done hook's
 * publish and the version in the tracker. Every step is real; a missing piece
 * stops the demo and says so.
 */
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { prepareDrop, prepublishDrop, publishDrop } from '../agent/index.ts';
import { HandoffError } from '../core/errors.ts';
import { compileTemplate } from '../core/naming/index.ts';
import type { Logger } from '../core/log.ts';
import type { HqServer } from '../server/index.ts';
import type { TaskContext, Tracker } from '../tracker/index.ts';
import type { PrepublishResponse } from '../vendor-publish/index.ts';
import { writeFrames } from './frames.ts';
import { connectLive, type LiveClient } from './live.ts';
import { clickOutsource } from './outsource.ts';
import { step, type DemoReporter } from './steps.ts';
import {
  DEMO_ARTIST, DEMO_COORDINATOR, DEMO_RESOLUTION, DEMO_TASK, DEMO_VENDOR,
  demoConfig, demoPaths, demoSeed, makeDemoBase, removeDemoBase, startAgent, startEmulator, startServer, writePlates,
} from './studio.ts';
import type { DemoSummary } from './summary.ts';
import { verifyMirror } from './verify.ts';
import { followJob } from './watch-job.ts';

export interface DemoOptions {
  reporter: DemoReporter;
  /** HTTP port of the HQ server (dashboard); default a free one. */
  port?: number | undefined;
  /** Keep the files in this folder instead of a temporary one that is removed at the end. */
  keep?: string | undefined;
  /** The HQ server's logger (default: the server's own). */
  logger?: Logger | undefined;
}

export interface DemoRun {
  summary: DemoSummary;
  /** Stops everything; a temporary folder is removed unless `keepFiles`. */
  close(options?: { keepFiles?: boolean }): Promise<void>;
}

const JOB_TIMEOUT_MS = 120_000;

export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const { reporter } = options;
  const started = Date.now();
  const closers: (() => Promise<void> | void)[] = [];
  let workspace: { base: string; temporary: boolean } | undefined;
  const close = async ({ keepFiles = false } = {}): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await Promise.resolve(closer()).catch(() => undefined);
    if (workspace?.temporary && !keepFiles) await removeDemoBase(workspace.base);
  };
  try {
    workspace = await step(reporter, 'Prepare the demo folder', () => makeDemoBase(options.keep));
    const { base } = workspace;
    const paths = demoPaths(base);
    const emulator = await step(reporter, 'Start the ftrack emulator with the demo studio', async () => {
      const started = await startEmulator(await demoSeed(), paths);
      closers.push(() => started.close());
      reporter.ok(`ftrack at ${started.url} (project scd, ${DEMO_RESOLUTION.width}x${DEMO_RESOLUTION.height})`);
      return started;
    });
    const token = randomBytes(24).toString('base64url');
    const { server, tracker, config } = await step(reporter, 'Start the HQ server', async () => {
      const config = await demoConfig(paths, emulator, token);
      const started = await startServer(config, paths, options.port ?? 0, options.logger);
      closers.push(() => started.tracker.close(), () => started.server.close());
      reporter.ok(`HQ at ${started.server.url}, agents dial ${started.server.wireUrl}`);
      return { ...started, config };
    });
    const task = await step(reporter, 'Generate the plate for scd/0010/0010/cleanup', async () => {
      const found = await tracker.findTask(DEMO_TASK);
      const range = found?.shot?.frameRange;
      if (!found || !range) throw new HandoffError('DEMO_STEP_FAILED', 'The demo task or its frame range is not in the tracker');
      const frames = { first: range.start - range.handles.head, last: range.end + range.handles.tail };
      const files = await writePlates(paths, frames, { first: 1012, last: 1040 });
      reporter.ok(`${files.length} EXR frames ${frames.first}-${frames.last} in ${path.relative(base, path.dirname(files[0]!))}`);
      return found;
    });
    const live = await connectLive(server.url, token);
    closers.push(() => live.close());
    await step(reporter, `Invite ${DEMO_VENDOR} and start its agent`, async () => {
      const running = await startAgent(server, token, paths);
      closers.push(() => running.close());
      reporter.ok(`agent enrolled with a one-time code and connected; its root is ${paths.vendorRoot}`);
    });
    const outsource = await step(reporter, 'Outsource the task from the ftrack web UI', async () => {
      const click = await clickOutsource(emulator, task.task.id, DEMO_COORDINATOR);
      closers.push(() => click.close());
      reporter.ok(click.message);
      return click;
    });
    const delivery = await step(reporter, `Deliver to ${DEMO_VENDOR}`, () => deliver(server, live, paths, reporter));
    for (const line of outsource.later()) reporter.info(line);
    const folder = await step(reporter, 'The vendor renders its result', () => renderResult(task, config.naming.publishFolder, paths.vendorRoot, reporter));
    const upload = await step(reporter, 'Vendor publish: pre-publish at HQ, then upload', () => vendorPublish(paths.agentHome, folder, live, reporter));
    const version = await step(reporter, 'Publish at HQ (job-post-done hook)', () => publishedVersion(live, upload.jobId, tracker, task, paths.hqRoot, folder, reporter));
    const summary: DemoSummary = {
      root: base,
      durationMs: Date.now() - started,
      ftrack: { url: emulator.url, user: emulator.user, apiKey: emulator.apiKey, store: paths.ftrackStore },
      server: { url: server.url, wireUrl: server.wireUrl },
      dashboardUrl: server.dashboardUrl(token),
      outsource: { task: `${task.project.name}/${DEMO_TASK.sequence}/${DEMO_TASK.shot}/${task.task.name}`, message: outsource.message },
      delivery: { ...delivery, vendorRoot: paths.vendorRoot },
      publish: { folder, verdict: upload.verdict, uploadJobId: upload.jobId },
      version,
    };
    return { summary, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function deliver(server: HqServer, live: LiveClient, paths: ReturnType<typeof demoPaths>, reporter: DemoReporter) {
  const [job] = (await server.transfer.listJobs()).filter((j) => j.destination.kind === 'vendor' && j.destination.vendor === DEMO_VENDOR);
  if (!job) throw new HandoffError('DEMO_STEP_FAILED', 'Outsource queued no delivery job for the vendor', { hint: 'Read the Outsource reply above.' });
  const done = await followJob(live, job, { label: 'delivery', start: reporter.bar }, JOB_TIMEOUT_MS);
  const checked = await verifyMirror(paths.hqRoot, paths.vendorRoot, DEMO_TASK.project);
  if (checked.mismatched.length || checked.files === 0) {
    throw new HandoffError('DEMO_STEP_FAILED', `${checked.mismatched.length} of ${checked.files} delivered files differ from HQ`, { details: { mismatched: checked.mismatched } });
  }
  reporter.ok(`${checked.files} files (${(checked.bytes / 1e6).toFixed(1)} MB) at the vendor under the same paths, every one identical to HQ's`);
  return { jobId: done.id, job: done.name, files: checked.files, bytes: checked.bytes, verified: checked.verified };
}

/** The vendor's first version, in a folder named by the studio's naming template. */
async function renderResult(task: TaskContext, publishFolder: string, vendorRoot: string, reporter: DemoReporter): Promise<string> {
  const range = task.shot!.frameRange!;
  const folder = compileTemplate(publishFolder).format({ ...DEMO_TASK, version: 1 });
  const files = await writeFrames(path.join(vendorRoot, folder), folder, {
    ...DEMO_RESOLUTION, first: range.start - range.handles.head, last: range.end + range.handles.tail,
  });
  reporter.ok(`${folder}/ with ${files.length} cleaned frames (boom mic removed)`);
  return folder;
}

function printVerdicts(response: PrepublishResponse, reporter: DemoReporter): void {
  for (const f of response.folders) {
    reporter.info(`${f.verdict === 'can_publish' ? '✔ publishable' : f.verdict === 'warning' ? '! warning' : '✖ rejected'}: ${f.filename} (${f.ident}, ${f.files} files${f.version ? `, v${String(f.version).padStart(3, '0')}` : ''})`);
    for (const m of f.messages) reporter.info(`    ${m.level}: ${m.title} — ${m.message}`);
  }
}

async function vendorPublish(agentHome: string, folder: string, live: LiveClient, reporter: DemoReporter) {
  const drop = await prepareDrop(agentHome, [folder]);
  const verdicts = await prepublishDrop(drop, DEMO_ARTIST);
  printVerdicts(verdicts, reporter);
  const verdict = verdicts.folders.find((f) => f.filename === folder);
  if (!verdict?.can_publish) throw new HandoffError('DEMO_STEP_FAILED', `Pre-publish rejected ${folder}`, { details: { folders: verdicts.folders } });
  const status = verdicts.fields.statuses.find((s) => s.default)?.value;
  const answer = await publishDrop(drop, DEMO_ARTIST, { comment: 'Boom mic removed from 1012-1040; grain kept.', timeSpent: 3.5 * 3600, status });
  await followJob(live, answer.job, { label: 'upload', start: reporter.bar }, JOB_TIMEOUT_MS);
  reporter.ok(`uploaded into _VENDORS/${DEMO_VENDOR}/FROM_CLIENT/${folder}`);
  return { jobId: answer.job.id, verdict: verdict.verdict };
}

async function publishedVersion(live: LiveClient, jobId: string, tracker: Tracker, task: TaskContext, hqRoot: string, folder: string, reporter: DemoReporter): Promise<DemoSummary['version']> {
  const outcome = await live.until(
    (e) => (e.kind === 'publish' && e.publish.jobId === jobId ? e : e.kind === 'hook' && e.hook.jobId === jobId && !e.hook.ok ? e : undefined),
    JOB_TIMEOUT_MS,
    'the post-done hook to publish',
  );
  if (outcome.kind === 'hook') throw new HandoffError('DEMO_STEP_FAILED', `The ${outcome.hook.hook} hook failed: ${outcome.hook.error?.message ?? 'no reason given'}`, { details: { code: outcome.hook.error?.code } });
  if (outcome.kind !== 'publish' || !outcome.publish.ok || !outcome.publish.versionId) {
    throw new HandoffError('DEMO_STEP_FAILED', `Publishing ${folder} failed: ${outcome.kind === 'publish' ? outcome.publish.errors.join('; ') : ''}`);
  }
  const record = outcome.publish;
  const version = (await tracker.listVersions(task.task.id)).find((v) => v.id === record.versionId);
  if (!version) throw new HandoffError('DEMO_STEP_FAILED', `Version ${record.versionId} is not in the tracker`);
  const review = record.destination ? path.join(hqRoot, path.posix.dirname(record.destination), '_proxies', `${folder}.review.mp4`) : undefined;
  const reviewMovie = review && (await access(review).then(() => review, () => undefined));
  reporter.ok(`${version.asset} v${String(version.version).padStart(3, '0')} in ftrack with ${version.components.map((c) => c.name).join(', ')}${version.hasReviewable ? ', a review movie' : ''}${version.hasThumbnail ? ' and a thumbnail' : ''}`);
  return {
    id: version.id, asset: version.asset, number: version.version, task: task.task.id,
    components: version.components.map((c) => ({ name: c.name, kind: c.kind, path: c.path })),
    hasThumbnail: version.hasThumbnail, hasReviewable: version.hasReviewable, reviewMovie,
  };
}
