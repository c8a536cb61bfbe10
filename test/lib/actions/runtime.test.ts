import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import {
  createActionAccess,
  createActionRuntime,
  defineAction,
  message,
  queued,
  type ActionDefinition,
  type ActionLogEvent,
  type ActionRuntime,
} from '../../../lib/actions/index.ts';
import { createMemoryTracker, loadStudioSeed, type MemoryTracker, type SelectionItem, type TrackerFeatures } from '../../../lib/tracker/index.ts';

const CORA = 'cora@acmevfx.example';
const SELECTION: SelectionItem[] = [{ entityType: 'task', entityId: 't1' }];

/** A promise the test resolves when it chooses: lets work wait on the test, not on time. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const always = (id: string, label = id): ActionDefinition =>
  defineAction({ id, label, discover: () => true, launch: () => message(`${label} ran`) });

describe('action runtime', () => {
  let tracker: MemoryTracker;
  let runtime: ActionRuntime | undefined;
  let served: { close(): Promise<void> } | undefined;
  const logged: ActionLogEvent[] = [];
  const released: (() => void)[] = [];

  async function start(actions: ActionDefinition[], options: { features?: Partial<TrackerFeatures>; discoverTimeoutMs?: number } = {}) {
    tracker = createMemoryTracker({ seed: await loadStudioSeed('demo'), features: options.features });
    runtime = createActionRuntime({ tracker, actions, services: { vendor: 'compers' }, log: (e) => logged.push(e), discoverTimeoutMs: options.discoverTimeoutMs });
    served = await tracker.actions!.serve(runtime);
  }

  beforeEach(() => {
    logged.length = 0;
  });
  afterEach(async () => {
    for (const release of released.splice(0)) release();
    await served?.close();
    await runtime?.close();
  });

  it('offers only the actions whose discover accepts the selection, with their variants', async () => {
    await start([
      always('a.first', 'First'),
      defineAction({ id: 'versions-only', label: 'V', discover: ({ selection }) => selection[0]?.entityType === 'version', launch: () => message('') }),
      defineAction({
        id: 'outsource',
        label: 'Outsource',
        description: 'Send to a vendor',
        variants: ({ services }) => [{ id: String(services['vendor']), label: 'Compers Inc' }, { id: 'other', label: 'Other', description: 'Elsewhere' }],
        discover: () => true,
        launch: ({ variant }) => message(`to ${variant?.label}`),
      }),
    ]);
    const items = await tracker.ui.discover(SELECTION, CORA);
    expect(items).toEqual([
      { actionIdentifier: 'a.first', label: 'First', description: undefined, icon: undefined },
      { actionIdentifier: 'outsource:compers', label: 'Outsource', variant: 'Compers Inc', description: 'Send to a vendor', icon: undefined },
      { actionIdentifier: 'outsource:other', label: 'Outsource', variant: 'Other', description: 'Elsewhere', icon: undefined },
    ]);
    expect(await tracker.ui.launch(items[1]!, SELECTION, CORA)).toEqual({ type: 'message', success: true, message: 'to Compers Inc' });
    expect(await tracker.ui.launch({ actionIdentifier: 'outsource:gone', label: 'Outsource' }, SELECTION, CORA)).toMatchObject({
      success: false,
      message: expect.stringContaining('has no variant "gone"'),
    });
  });

  it('answers undefined for launches of actions it does not own', async () => {
    await start([always('mine')]);
    expect(await runtime!.launch({ actionIdentifier: 'someone-else', selection: SELECTION, user: (await tracker.getUser({ username: CORA }))! })).toBeUndefined();
  });

  it('cuts off a slow discover and a throwing one, logs both, and still offers the others', async () => {
    const slow = gate<boolean>();
    released.push(() => slow.open(true));
    await start(
      [
        defineAction({ id: 'slow', label: 'Slow', discover: () => slow.promise, launch: () => message('') }),
        defineAction({ id: 'broken', label: 'Broken', discover: () => { throw new Error('no database'); }, launch: () => message('') }),
        always('quick'),
      ],
      { discoverTimeoutMs: 50 },
    );
    const items = await tracker.ui.discover(SELECTION, CORA);
    expect(items.map((i) => i.actionIdentifier)).toEqual(['quick']);
    expect(logged.map((e) => [e.type, e.actionId, e.error.code])).toEqual(
      expect.arrayContaining([
        ['discover-timeout', 'slow', 'ACTION_DISCOVER_TIMEOUT'],
        ['discover-failed', 'broken', 'ACTION_DISCOVER_FAILED'],
      ]),
    );
  });

  it('turns a thrown error into a message with the hint and no stack trace', async () => {
    await start([
      defineAction({
        id: 'fails',
        label: 'Outsource',
        discover: () => true,
        launch: () => {
          throw new HandoffError('TRANSFER_SHARE_MISSING', 'Compers Inc has no home share', { hint: 'Create the share in handoff first.' });
        },
      }),
      defineAction({ id: 'crashes', label: 'Crash', discover: () => true, launch: () => { throw new TypeError('x is undefined'); } }),
    ]);
    const reply = await tracker.ui.launch({ actionIdentifier: 'fails', label: 'Outsource' }, SELECTION, CORA);
    expect(reply).toEqual({ type: 'message', success: false, message: 'Outsource failed: Compers Inc has no home share\nCreate the share in handoff first.' });
    const crash = await tracker.ui.launch({ actionIdentifier: 'crashes', label: 'Crash' }, SELECTION, CORA);
    expect(crash).toMatchObject({ success: false, message: expect.stringContaining('Crash failed: x is undefined') });
    expect(crash?.type === 'message' && crash.message).not.toMatch(/\n\s+at /);
    expect(logged.map((e) => [e.type, e.error.code])).toEqual([
      ['launch-failed', 'TRANSFER_SHARE_MISSING'],
      ['launch-failed', 'ACTION_FAILED'],
    ]);
  });

  it('queues long work: replies at once, shows progress on a tracker job, then tells the user', async () => {
    const step = gate();
    const finish = gate();
    released.push(() => { step.open(); finish.open(); });
    const progressed = gate();
    await start([
      defineAction({
        id: 'long',
        label: 'Outsource',
        discover: () => true,
        launch: () =>
          queued('Outsourcing 2 tasks', async (report) => {
            await step.promise;
            await report({ fraction: 0.5, description: '1 of 2 tasks' });
            progressed.open();
            await finish.promise;
            return 'Sent 2 tasks to Compers Inc';
          }),
      }),
    ]);
    const reply = await tracker.ui.launch({ actionIdentifier: 'long', label: 'Outsource' }, SELECTION, CORA);
    expect(reply).toEqual({ type: 'message', success: true, message: 'Outsourcing 2 tasks' });
    step.open();
    await progressed.promise;
    expect(await tracker.ui.jobs(CORA)).toMatchObject([{ status: 'running', fraction: 0.5, description: 'Outsource: 1 of 2 tasks' }]);
    finish.open();
    await runtime!.idle();
    expect(await tracker.ui.jobs(CORA)).toMatchObject([{ status: 'done', fraction: 1 }]);
    expect(await tracker.ui.messages(CORA)).toEqual([
      { userId: (await tracker.getUser({ username: CORA }))!.id, title: 'Outsource', message: 'Sent 2 tasks to Compers Inc', success: true },
    ]);
  });

  it('reports failed queued work on the job and to the user; without jobs only the message', async () => {
    const failing = defineAction({
      id: 'long',
      label: 'Outsource',
      discover: () => true,
      launch: () =>
        queued('Outsourcing', async () => {
          throw new HandoffError('TRANSFER_AGENT_OFFLINE', 'The Compers Inc agent is offline', { hint: 'Ask the vendor to start the agent.' });
        }),
    });
    await start([failing]);
    await tracker.ui.launch({ actionIdentifier: 'long', label: 'Outsource' }, SELECTION, CORA);
    await runtime!.idle();
    expect(await tracker.ui.jobs(CORA)).toMatchObject([{ status: 'failed', description: 'Outsource failed: The Compers Inc agent is offline' }]);
    expect((await tracker.ui.messages(CORA)).map((m) => [m.success, m.message])).toEqual([
      [false, 'Outsource failed: The Compers Inc agent is offline\nAsk the vendor to start the agent.'],
    ]);
    expect(logged.map((e) => [e.type, e.error.code])).toEqual([['work-failed', 'TRANSFER_AGENT_OFFLINE']]);

    await served!.close();
    await runtime!.close();
    logged.length = 0;
    await start([failing], { features: { jobs: false } });
    await tracker.ui.launch({ actionIdentifier: 'long', label: 'Outsource' }, SELECTION, CORA);
    await runtime!.idle();
    expect(await tracker.ui.jobs(CORA)).toEqual([]);
    expect(await tracker.ui.messages(CORA)).toHaveLength(1);
  });

  it('aborts queued work on close', async () => {
    const started = gate();
    let aborted = false;
    await start([
      defineAction({
        id: 'long',
        label: 'Long',
        discover: () => true,
        launch: () =>
          queued('Started', (_report, signal) => {
            started.open();
            return new Promise((resolve) => signal.addEventListener('abort', () => { aborted = true; resolve('stopped'); }));
          }),
      }),
    ]);
    await tracker.ui.launch({ actionIdentifier: 'long', label: 'Long' }, SELECTION, CORA);
    await started.promise;
    await runtime!.close();
    expect(aborted).toBe(true);
  });

  it('refuses a launch by a user the tracker does not know, or one whose id and name disagree', async () => {
    let ran = 0;
    await start([defineAction({ id: 'count', label: 'Count', discover: () => true, launch: () => message(`ran ${++ran}`) })]);
    const cora = (await tracker.getUser({ username: CORA }))!;
    const ghost = { id: 'made-up', username: 'ghost@acmevfx.example', name: 'Ghost', groups: ['Coordinators'] };
    const impostor = { ...cora, username: 'emma@compersinc.example' };
    for (const user of [ghost, impostor]) {
      expect(await runtime!.launch({ actionIdentifier: 'count', selection: SELECTION, user })).toMatchObject({ type: 'message', success: false });
    }
    expect(ran).toBe(0);
    expect(logged.map((e) => [e.type, e.error.code])).toEqual([
      ['launch-denied', 'ACTION_USER_UNKNOWN'],
      ['launch-denied', 'ACTION_USER_UNKNOWN'],
    ]);
    expect(await runtime!.launch({ actionIdentifier: 'count', selection: SELECTION, user: cora })).toMatchObject({ success: true, message: 'ran 1' });
  });

  it('applies the access check to the user the tracker returned: vendor people never, others as allowed', async () => {
    const seed = await loadStudioSeed('demo');
    tracker = createMemoryTracker({ seed });
    const access = createActionAccess({ allow: { count: { groups: ['coordinators'] } }, vendors: [{ code: 'CompersInc', users: [], groups: ['Compers Inc'] }] });
    runtime = createActionRuntime({ tracker, actions: [always('count'), always('open')], services: {}, access, log: (e) => logged.push(e) });
    served = await tracker.actions!.serve(runtime);
    const offered = async (username: string) => (await tracker.ui.discover(SELECTION, username)).map((a) => a.actionIdentifier);
    expect(await offered(CORA)).toEqual(['count', 'open']);
    expect(await offered('finn@acmevfx.example')).toEqual(['open']);
    expect(await offered('emma@compersinc.example')).toEqual([]);
    const emma = (await tracker.getUser({ username: 'emma@compersinc.example' }))!;
    expect(await runtime.launch({ actionIdentifier: 'open', selection: SELECTION, user: { ...emma, groups: [] } })).toMatchObject({ success: false });
    expect(await tracker.ui.launch({ actionIdentifier: 'count', label: 'count' }, SELECTION, 'finn@acmevfx.example')).toMatchObject({ success: false });
    expect(logged.map((e) => e.error.code)).toEqual(['ACTION_VENDOR_USER_DENIED', 'ACTION_USER_DENIED']);
  });

  it('names a missing option and checks each action', async () => {
    const seed = await loadStudioSeed('demo');
    const tracker = createMemoryTracker({ seed });
    expect(() => createActionRuntime({ tracker, actions: [], services: undefined as unknown as object })).toThrow(
      expect.objectContaining({ code: 'ACTION_OPTION_MISSING', details: { option: 'services' } }),
    );
    const bad = { id: 'Bad Id', label: 'x', discover: () => true, launch: () => message('') };
    expect(() => createActionRuntime({ tracker, actions: [bad], services: {} })).toThrow(expect.objectContaining({ code: 'ACTION_INVALID' }));
  });

  it('refuses two actions with one id', async () => {
    const seed = await loadStudioSeed('demo');
    expect(() => createActionRuntime({ tracker: createMemoryTracker({ seed }), actions: [always('same'), always('same')], services: {} })).toThrow(
      expect.objectContaining({ code: 'ACTION_DUPLICATE' }),
    );
  });
});
