import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentStore } from '../../../../lib/transfer/core/agents.ts';
import { createManualClock } from '../../../../lib/transfer/core/clock.ts';
import { openDatabase } from '../../../../lib/transfer/core/db.ts';
import type { AgentRegistry } from '../../../../lib/transfer/wire/registry.ts';
import { tempRoots } from '../setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('agent store', () => {
  it('takes an enrolment code once, refuses expired ones, and pins keys durably', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const file = path.join(tmp.dataDir, 'transfer.db');
    const clock = createManualClock();
    const db = openDatabase(file);
    const store = createAgentStore(db, clock);
    const registry: AgentRegistry = store; // the wire's HQ listener can use it as is
    await registry.saveCode('hash-1', 'CompersInc', clock.now() + 60_000);
    await registry.saveCode('hash-2', 'OtherVendor', clock.now() - 1);
    const takes = await Promise.all(Array.from({ length: 10 }, () => registry.takeCode('hash-1', clock.now())));
    expect(takes.filter((vendor) => vendor === 'CompersInc').length).toBe(1);
    expect(await registry.takeCode('hash-2', clock.now())).toBeUndefined();
    expect(await registry.takeCode('hash-2', clock.now())).toBeUndefined();
    await registry.pin('CompersInc', 'fp-old');
    await registry.pin('CompersInc', 'fp-new');
    store.seen('CompersInc');
    db.close();

    const again = openDatabase(file);
    cleanups.push(async () => {
      again.close();
    });
    const reopened = createAgentStore(again, clock);
    expect(await reopened.isPinned('CompersInc', 'fp-new')).toBe(true);
    expect(await reopened.isPinned('CompersInc', 'fp-old')).toBe(false);
    expect(reopened.list()).toMatchObject([{ vendor: 'CompersInc', fingerprint: 'fp-new', lastSeenAt: new Date(clock.now()) }]);
  });
});
