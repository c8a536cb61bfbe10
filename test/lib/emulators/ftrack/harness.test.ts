import { Event, EventHub } from '@ftrack/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebUiHarness } from '../../../../lib/emulators/ftrack/harness.ts';
import { API_KEY, serveHub, waitFor } from './event-hub/serve-hub.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const user = { id: 'web-id', username: 'web' }; // as the hub authenticates 'web'
const selection = [{ entityId: 'task-1', entityType: 'task' }];

async function setup() {
  const served = await serveHub();
  cleanups.push(() => served.close());
  const handler = new EventHub(served.url, 'alice', API_KEY);
  handler.connect();
  cleanups.push(() => handler.disconnect());
  const launches: Record<string, unknown>[] = [];
  handler.subscribe('topic=ftrack.action.discover', (e) => {
    const data = e.data as { selection: unknown[] };
    return { items: [{ actionIdentifier: 'rename', label: 'Rename', variant: `${data.selection.length} selected`, extra: 'kept' }] };
  });
  handler.subscribe('topic=ftrack.action.launch', (e) => {
    const data = e.data as Record<string, unknown>;
    launches.push(data);
    const values = data['values'] as { name?: string } | undefined;
    if (!values) return { type: 'form', title: 'Rename', submit_button_label: 'Go', items: [{ type: 'text', name: 'name', label: 'Name' }] };
    void handler.publish(new Event('ftrack.action.trigger-user-interface', { type: 'message', success: true, message: `renamed to ${values.name}` }, {
      target: `applicationId=ftrack.client.web and user.id="${(e.source as { user: { id: string } }).user.id}"`,
    }));
    return { success: true, message: 'queued' };
  });
  await waitFor(() => served.hub.stats().subscribers >= 3, 5000, 'handler subscriptions');
  const ui = await createWebUiHarness({ serverUrl: served.url, apiUser: 'web', apiKey: API_KEY, replyWindowMs: 5000 });
  await ui.watch(user);
  cleanups.push(() => ui.close());
  return { ui, launches };
}

describe('web UI harness', () => {
  it('discovers, launches, submits a form and captures the message sent to the user', async () => {
    const { ui, launches } = await setup();
    const actions = await ui.discover(selection, user, { expected: 1 });
    expect(actions).toEqual([{ actionIdentifier: 'rename', label: 'Rename', variant: '1 selected', extra: 'kept' }]);

    const [form] = await ui.launch(actions[0]!, selection, user);
    expect(form).toMatchObject({ type: 'form', title: 'Rename', submitButtonLabel: 'Go', items: [{ name: 'name' }] });
    expect(launches[0]).toMatchObject({ actionIdentifier: 'rename', extra: 'kept', selection });

    const [done] = await ui.launch(actions[0]!, selection, user, { name: 'plate' });
    expect(done).toMatchObject({ type: 'message', success: true, message: 'queued' });
    const message = await ui.waitForMessage(user.id, (m) => m.type === 'message' && m.message.includes('plate'));
    expect(message).toMatchObject({ success: true, message: 'renamed to plate' });
    expect(ui.messages('someone-else')).toEqual([]);
  });

  it('refuses a wrong API key as final, not as a server that may come back', async () => {
    const served = await serveHub();
    cleanups.push(() => served.close());
    await expect(createWebUiHarness({ serverUrl: served.url, apiUser: 'web', apiKey: 'wrong' })).rejects.toMatchObject({
      code: 'FTRACK_AUTH_FAILED',
      retryable: false,
    });
  });

  it('gives up waiting for a message after the bound', async () => {
    const { ui } = await setup();
    await expect(ui.waitForMessage(user.id, () => true, 50)).rejects.toMatchObject({ code: 'FTRACK_UI_TIMEOUT' });
  });
});
