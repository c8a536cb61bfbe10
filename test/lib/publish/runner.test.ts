import { describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { definePublishPlugin, Order, planPublish, runPublish } from '../../../lib/publish/index.ts';
import type { PlanEntry, PublishInstance, PublishPlan } from '../../../lib/publish/index.ts';
import { fixturePaths, testContext } from './support.ts';

function ran(context: { data: Record<string, unknown> }): string[] {
  return context.data.ran as string[];
}

describe('runPublish', () => {
  it('runs every band in order, once per matching instance, and records results', async () => {
    const plan = await planPublish({ searchPaths: fixturePaths('base'), configFiles: [] });
    const context = testContext();
    const report = await runPublish(plan, context);
    expect(report.ok).toBe(true);
    expect(report.halted).toBeUndefined();
    expect(ran(context)).toEqual([
      'collect-shots',
      'validate-name-length:sh010', 'validate-name-length:sh020',
      'validate-no-sh020:sh010', 'validate-no-sh020:sh020',
      'extract-marker:base',
    ]);
    expect(report.results.map((r) => [r.pluginId, r.instanceId, r.status])).toEqual([
      ['collect-shots', undefined, 'ok'],
      ['validate-name-length', 'sh010', 'ok'],
      ['validate-name-length', 'sh020', 'ok'],
      ['validate-no-sh020', 'sh010', 'warning'],
      ['validate-no-sh020', 'sh020', 'ok'],
      ['extract-marker', undefined, 'ok'],
    ]);
    expect(report.results[3]?.messages).toEqual([{ level: 'warning', message: 'sh010 is close to its deadline' }]);
    expect(context.lines).toContain('warn [validate-no-sh020 sh010] sh010 is close to its deadline');
  });

  it('records how long each plugin ran', async () => {
    // The plugin holds the thread for 30 ms by the clock, so its result must show at least that.
    const busy = definePublishPlugin({
      id: 'validate-busy', order: Order.Validate, label: 'busy',
      process: () => {
        const until = performance.now() + 30;
        while (performance.now() < until);
      },
    });
    const plan: PublishPlan = {
      searchPaths: [], configFiles: [], replaced: [],
      entries: [{ id: busy.id, order: busy.order, band: 'Validate', label: busy.label, source: 'x.ts', scope: 'test', enabled: true, appliesTo: undefined, settings: {}, plugin: busy as PlanEntry['plugin'] }],
    };
    const [result] = (await runPublish(plan, testContext())).results;
    expect(result?.durationMs).toBeGreaterThanOrEqual(30);
  });

  it('runs every validator when some fail, then stops before Extract', async () => {
    const plan = await planPublish({ searchPaths: fixturePaths('base'), configFiles: [] });
    const context = testContext({ data: { ran: [], failSh020: true } });
    const nameLength = plan.entries.find((e) => e.id === 'validate-name-length');
    if (nameLength) nameLength.settings = { minLength: 6 };
    const report = await runPublish(plan, context);
    expect(report.ok).toBe(false);
    expect(report.halted).toEqual({ beforePlugin: 'extract-marker', failed: ['validate-name-length', 'validate-no-sh020'] });
    expect(ran(context)).not.toContain('extract-marker:base');
    const errors = report.results.filter((r) => r.status === 'error');
    expect(errors.map((r) => [r.pluginId, r.instanceId])).toEqual([
      ['validate-name-length', 'sh010'], ['validate-name-length', 'sh020'], ['validate-no-sh020', 'sh020'],
    ]);
    expect(errors[0]?.messages).toEqual([{ level: 'error', message: 'sh010 is shorter than 6', title: 'Name too short', hint: 'Use a longer name.', path: 'sh010' }]);
    expect(report.results.at(-1)).toMatchObject({ pluginId: 'extract-marker', status: 'skipped' });
  });

  it('skips disabled plugins and runs overrides from later paths', async () => {
    const plan = await planPublish({ searchPaths: fixturePaths('base', 'studio', 'project'), configFiles: [] });
    const disabled = plan.entries.find((e) => e.id === 'validate-no-sh020');
    if (disabled) disabled.enabled = false;
    const context = testContext();
    await runPublish(plan, context);
    expect(ran(context)).toEqual([
      'collect-shots', 'studio-validate-name-length:sh010:2', 'studio-validate-name-length:sh020:2', 'extract-marker:project',
    ]);
  });

  it('keeps the code and hint of a HandoffError and stops after an extractor fails', async () => {
    const entry = (id: string, order: number, process: () => void): PlanEntry => ({
      id, order, band: 'Extract', label: id, source: `${id}.ts`, scope: 'test', enabled: true, appliesTo: undefined, settings: {},
      plugin: definePublishPlugin({ id, order, label: id, process }) as PlanEntry['plugin'],
    });
    const calls: string[] = [];
    const plan: PublishPlan = {
      searchPaths: [], configFiles: [], replaced: [],
      entries: [
        entry('extract-fails', Order.Extract, () => {
          throw new HandoffError('MEDIA_FFMPEG_FAILED', 'ffmpeg failed', { hint: 'read stderr' });
        }),
        entry('integrate-after', Order.Integrate, () => void calls.push('integrate')),
      ],
    };
    const report = await runPublish(plan, testContext());
    expect(report.results[0]?.messages).toEqual([{ level: 'error', message: 'ffmpeg failed', code: 'MEDIA_FFMPEG_FAILED', hint: 'read stderr' }]);
    expect(report.results[1]).toMatchObject({ pluginId: 'integrate-after', status: 'skipped' });
    expect(calls).toEqual([]);
  });

  it('does not call a plugin for an instance that lacks data it needs, and reports an error', async () => {
    const calls: string[] = [];
    const needsMedia = definePublishPlugin({
      id: 'integrate-needs-media', order: Order.Integrate, label: 'needs media', appliesTo: ['*'], needs: ['media'],
      process: ({ instance }) => void calls.push(`${instance.name}:${instance.data.media.kind}`),
    });
    const plan: PublishPlan = {
      searchPaths: [], configFiles: [], replaced: [],
      entries: [{ id: needsMedia.id, order: needsMedia.order, band: 'Integrate', label: needsMedia.label, source: 'x.ts', scope: 'test', enabled: true, appliesTo: ['*'], settings: {}, plugin: needsMedia as PlanEntry['plugin'] }],
    };
    const instance = (name: string, data: PublishInstance['data']): PublishInstance => ({ id: name, name, family: 'render', data, outputs: {} });
    const still = { kind: 'image', path: 'a.png', frameCount: 1, width: 2, height: 2, format: 'png' } as PublishInstance['data']['media'];
    const report = await runPublish(plan, testContext({ instances: [instance('with', { media: still }), instance('without', {})] }));
    expect(calls).toEqual(['with:image']);
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => [r.instanceId, r.status])).toEqual([['with', 'ok'], ['without', 'error']]);
    expect(report.results[1]?.messages[0]).toMatchObject({ code: 'PUBLISH_INPUT_MISSING', message: expect.stringContaining('needs data.media on without') });
  });
});

