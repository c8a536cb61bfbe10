/**
 * Text reaches ftrack as written: the client would send an ISO-looking string
 * as a datetime, and quotes or backslashes could break an expression.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFtrackEmulator, type FtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { createFtrackTracker } from '../../../../lib/tracker/ftrack/index.ts';
import type { Tracker } from '../../../../lib/tracker/types.ts';

let emulator: FtrackEmulator;
let tracker: Tracker;

beforeEach(async () => {
  emulator = await startFtrackEmulator({ seed: 'demo' });
  tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey, retryDelayMs: 5 });
});
afterEach(async () => {
  await tracker.close();
  await emulator.close();
});

async function rawNotes(parentId: string): Promise<unknown[]> {
  const response = await fetch(`${emulator.url}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ftrack-user': emulator.user, 'ftrack-api-key': emulator.apiKey },
    body: JSON.stringify([{ action: 'query', expression: `select content from Note where parent_id is "${parentId}"` }]),
  });
  const [result] = (await response.json()) as [{ data: { content: unknown }[] }];
  return result.data.map((row) => row.content);
}

describe('ftrack tracker text values', () => {
  it('stores a note that reads like a date as text, and reads it back unchanged', async () => {
    const context = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    const target = { kind: 'task' as const, id: context!.task.id };
    const texts = ['2024-05-06T07:08:09', '2024-05-06T07:08:09Z', 'quote " and back \\ slash'];
    for (const text of texts) await tracker.addNote(target, text);

    expect(await rawNotes(target.id)).toEqual(expect.arrayContaining(texts));
    const notes = (await tracker.listNotes(target)).map((n) => n.content);
    expect(notes).toEqual(expect.arrayContaining(texts));
  });

  it('finds nothing, and fails on nothing, for names that try to break out of their quotes', async () => {
    for (const task of ['x" or name like "%', "x' or name like '%", 'a\\', 'a\\"', '%']) {
      expect(await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task })).toBeUndefined();
    }
  });
});
