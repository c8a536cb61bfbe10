/**
 * Outsource, clicked as a coordinator in the ftrack web UI would: the
 * emulator's web-UI harness asks for the actions on the selected task, launches
 * Outsource, fills its form if it shows one, and reads the reply.
 */
import { HandoffError } from '../core/errors.ts';
import type { FtrackEmulator } from '../emulators/ftrack/index.ts';
import { createWebUiHarness, type UiReply, type UiUser } from '../emulators/ftrack/harness.ts';

export interface OutsourceClick {
  message: string;
  /** Messages the handler pushed to the coordinator afterwards (manifests ready ...). */
  later: () => string[];
  close(): Promise<void>;
}

const WINDOW_MS = 15_000;

function userOf(emulator: FtrackEmulator, username: string): UiUser {
  const row = emulator.store.scan('User').find((u) => u.username === username);
  if (!row) throw new HandoffError('DEMO_STEP_FAILED', `The emulator has no user ${username}`, { hint: 'The demo seed should hold it; check lib/tracker/seeds/demo.yaml.' });
  return { id: String(row.id), username };
}

/** Default values of a form the action showed (the choice it suggests, the default priority). */
function defaults(reply: Extract<UiReply, { type: 'form' }>): Record<string, unknown> {
  return Object.fromEntries(reply.items.filter((i) => typeof i.name === 'string' && i.value !== undefined).map((i) => [i.name as string, i.value]));
}

export async function clickOutsource(emulator: FtrackEmulator, taskId: string, coordinator: string): Promise<OutsourceClick> {
  const harness = await createWebUiHarness({ serverUrl: emulator.url, apiUser: emulator.user, apiKey: emulator.apiKey, replyWindowMs: WINDOW_MS });
  try {
    const user = userOf(emulator, coordinator);
    await harness.watch(user);
    const selection = [{ entityId: taskId, entityType: 'task' }];
    const offered = await harness.discover(selection, user, { expected: 1 });
    const action = offered.find((a) => a.actionIdentifier.endsWith('outsource'));
    if (!action) {
      throw new HandoffError('DEMO_MISSING_PIECE', `The HQ server offers no Outsource action for the task (offered: ${offered.map((a) => a.label ?? a.actionIdentifier).join(', ') || 'nothing'})`, {
        hint: 'The server serves the actions in actions/; Outsource needs at least one vendor in the config.',
      });
    }
    let [reply] = await harness.launch(action, selection, user);
    if (reply?.type === 'form') [reply] = await harness.launch(action, selection, user, defaults(reply));
    if (!reply || reply.type !== 'message') throw new HandoffError('DEMO_STEP_FAILED', 'Outsource gave no answer to the launch', { hint: 'Run with --debug to see the server log.' });
    if (!reply.success) throw new HandoffError('DEMO_STEP_FAILED', `Outsource refused: ${reply.message}`);
    return {
      message: reply.message,
      later: () => harness.messages(user.id).flatMap((m) => (m.type === 'message' ? [m.message] : [])),
      close: () => harness.close(),
    };
  } catch (err) {
    await harness.close();
    throw err;
  }
}
