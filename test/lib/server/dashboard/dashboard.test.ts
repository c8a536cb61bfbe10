/**
 * The dashboard in real headless Chromium against a real server: sign in, live
 * progress of a bandwidth-limited delivery through the embedded core, pause and
 * resume, retry of a failed task, an agent coming online, and a phone-width
 * layout without horizontal scrolling (screenshots kept in the temp folder).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHook } from '../../../../lib/hooks/index.ts';
import { connectAgent, enrolAgent, type Agent } from '../../../../lib/transfer/wire/index.ts';
import { ADMIN, startServer, writeBytes, type ServerFixture } from '../fixture.ts';
import { openBrowser } from './browser.ts';

const FRAME = 200_000;
const FRAMES = 40;

let f: ServerFixture;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let agent: Agent | undefined;

beforeAll(async () => {
  // 2 MB/s against 8 MB of frames: a few seconds of progress to watch.
  // A stand-in for the tracker publish: versions for the folders a vendor-publish job carries.
  const publisher = defineHook({
    on: 'job.post-done',
    name: 'publisher',
    handler: (job) => {
      const folders = (job.metadata.handoff_publish as { folders?: { filename: string }[] } | undefined)?.folders ?? [];
      return { kind: 'published', folders: folders.map((f, i) => ({ folder: f.filename, ok: true, version: i + 3, versionId: `version-${i + 3}`, errors: [] })) };
    },
  });
  f = await startServer({ limits: { bandwidth: 2_000_000 }, retry: { maxAttempts: 1 }, hooks: [publisher], hookFolders: [] });
  for (let i = 1; i <= FRAMES; i++) await writeBytes(f.hqRoot, `scd/0010/plates/plate.${String(1000 + i)}.exr`, FRAME);
  browser = await openBrowser();
  page = await browser.context.newPage();
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await browser?.close();
  await f?.cleanup();
});

const card = (jobId: string) => page.locator(`article.job[data-job-id="${jobId}"]`);
const percentOf = async (jobId: string): Promise<number> => Number((await card(jobId).locator('[data-field="percent"]').textContent())?.replace('%', ''));

async function screenshot(name: string): Promise<string> {
  const file = path.join(f.dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.HANDOFF_SCREENSHOT_DIR) {
    await mkdir(process.env.HANDOFF_SCREENSHOT_DIR, { recursive: true });
    await copyFile(file, path.join(process.env.HANDOFF_SCREENSHOT_DIR, `${name}.png`));
  }
  return file;
}

describe('dashboard', () => {
  it('asks for a token, refuses a wrong one, and signs in with the right one', async () => {
    await page.goto(f.server.url);
    await page.getByLabel('Admin token').fill('not-the-right-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('not valid');
    await page.getByLabel('Admin token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#connection[data-state="live"]').waitFor();
    expect(await page.locator('#board').isVisible()).toBe(true);
  });

  it('shows live progress moving, pauses and resumes a delivery', async () => {
    const job = await f.server.transfer.ensureJob({
      name: 'Outsource - scd - CompersInc',
      source: { kind: 'hq' },
      destination: { kind: 'vendor', vendor: 'CompersInc' },
      tasks: [{ source: 'scd/0010/plates' }],
    });
    await card(job.id).waitFor();
    await page.waitForFunction((id) => {
      const text = document.querySelector(`article.job[data-job-id="${id}"] [data-field="percent"]`)?.textContent ?? '';
      const value = Number(text.replace('%', ''));
      return value > 0 && value < 60;
    }, job.id);
    const first = await percentOf(job.id);
    await page.waitForFunction(([id, before]) => Number(document.querySelector(`article.job[data-job-id="${id}"] [data-field="percent"]`)?.textContent?.replace('%', '')) > Number(before), [job.id, first] as const);
    expect(await card(job.id).locator('[data-field="speed"]').textContent()).toMatch(/B\/s$/);
    await screenshot('desktop-running');

    await card(job.id).getByRole('button', { name: 'Pause' }).click();
    await card(job.id).locator('.badge', { hasText: 'paused' }).waitFor();
    expect((await f.server.transfer.getJob(job.id))?.status).toBe('paused');
    await card(job.id).getByRole('button', { name: 'Resume' }).click();
    // Done jobs leave the "active" view; show them all to watch it finish.
    await page.getByLabel('Show').selectOption('all');
    await card(job.id).locator('.badge', { hasText: 'done' }).waitFor({ timeout: 20_000 });
    expect(await percentOf(job.id)).toBe(100);
    expect((await f.server.transfer.getJob(job.id))?.status).toBe('done');
  }, 40_000);

  it('shows a failed task with its error and retries it', async () => {
    const job = await f.server.transfer.ensureJob({
      name: 'Reference delivery',
      source: { kind: 'hq' },
      destination: { kind: 'vendor', vendor: 'CompersInc' },
      tasks: [{ source: 'scd/0010/reference/brief.pdf' }],
    });
    await card(job.id).locator('.badge', { hasText: 'failed' }).waitFor();
    await card(job.id).getByRole('button', { name: job.name }).click();
    const task = page.locator('#detail li.task[data-status="failed"]');
    await task.waitFor();
    expect(await task.locator('[data-field="error"]').textContent()).toMatch(/^[A-Z_]+: /);

    await writeBytes(f.hqRoot, 'scd/0010/reference/brief.pdf', 1000);
    await task.getByRole('button', { name: 'Retry' }).click();
    await page.locator('#detail li.task[data-status="done"]').waitFor({ timeout: 20_000 });
    await card(job.id).locator('.badge', { hasText: 'done' }).waitFor();
  }, 30_000);

  it('keeps what the live feed said when a control answer arrives after it', async () => {
    const job = await f.server.transfer.ensureJob({
      name: 'Late answer',
      source: { kind: 'hq' },
      destination: { kind: 'vendor', vendor: 'CompersInc' },
      tasks: [{ source: 'scd/0010/reference/notes.txt' }],
    });
    await card(job.id).locator('.badge', { hasText: 'failed' }).waitFor();
    await card(job.id).getByRole('button', { name: job.name }).click();
    await page.locator('#detail li.task[data-status="failed"]').waitFor();
    await writeBytes(f.hqRoot, 'scd/0010/reference/notes.txt', 1000);
    // Hold the retry's answer (read while the job was starting) until the feed has shown the job done.
    // The dashboard fetches the job's detail once the answer is handled: that fetch says it was.
    let answerSent = false;
    let handled!: () => void;
    const answerHandled = new Promise<void>((resolve) => (handled = resolve));
    await page.route(`**/api/jobs/${job.id}`, async (route) => {
      if (answerSent) handled();
      await route.continue();
    });
    await page.route(`**/api/jobs/${job.id}/retry`, async (route) => {
      const response = await route.fetch();
      await card(job.id).locator('.badge', { hasText: 'done' }).waitFor({ timeout: 20_000 });
      await route.fulfill({ response });
      answerSent = true;
    });
    await page.locator('#detail li.task[data-status="failed"]').getByRole('button', { name: 'Retry' }).click();
    await answerHandled;
    await page.locator('#detail li.task[data-status="done"]').waitFor();
    expect(await card(job.id).locator('.badge').textContent()).toBe('done');
    expect(await percentOf(job.id)).toBe(100);
    expect((await f.server.transfer.getJob(job.id))?.status).toBe('done');
  }, 30_000);

  it('shows an agent coming online', async () => {
    const credentials = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('CompersInc') });
    agent = await connectAgent({ hqUrl: f.server.wireUrl!, credentials, root: f.vendorRoot });
    await page.locator('#agents li[data-vendor="CompersInc"][data-online="true"]').waitFor();
    expect(await page.locator('#agents li[data-vendor="CompersInc"]').textContent()).toMatch(/online/);
  });

  it('shows a publish with its pre-publish verdict and tracker version', async () => {
    await f.server.transfer.ensureShare({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
    await writeBytes(f.vendorRoot, 'out/scd_0010_0010_cleanup_v003/scd_0010_0010_cleanup_v003.1001.exr', 500);
    await f.server.transfer.ensureJob({
      name: 'Publish - CompersInc - scd_0010_0010_cleanup_v003',
      source: { kind: 'vendor', vendor: 'CompersInc' },
      destination: { kind: 'hq' },
      metadata: { handoff_publish: { kind: 'vendor-publish', folders: [{ filename: 'scd_0010_0010_cleanup_v003', verdict: 'warning' }] } },
      tasks: [{ source: 'out/scd_0010_0010_cleanup_v003', destination: '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_0010_cleanup_v003' }],
    });
    const row = page.locator('#publishes li.publish[data-ok="true"]');
    await row.waitFor({ timeout: 20_000 });
    const text = await row.textContent();
    expect(text).toContain('v003');
    expect(text).toContain('scd_0010_0010_cleanup_v003');
    expect(text).toContain('pre-publish: warning');
    expect(text).toContain('tracker version version-3');
  }, 30_000);

  it('keeps the sign-in across reloads and reads well 375 px wide without horizontal scrolling', async () => {
    await page.reload();
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByLabel('Show').selectOption('all');
    await page.locator('article.job').first().waitFor();
    const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    await screenshot('phone-375');
    await page.locator('article.job').first().getByRole('button').first().click();
    await page.locator('#detail li.task').first().waitFor();
    const withDetail = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(withDetail).toBe(true);
    await screenshot('phone-375-detail');
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot('desktop-done');
  });
});
