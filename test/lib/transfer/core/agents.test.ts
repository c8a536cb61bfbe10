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
    expect(reopened.list()).toMatchObject([
      { vendor: 'CompersInc', fingerprint: 'fp-old', revokedAt: new Date(clock.now()) },
      { vendor: 'CompersInc', fingerprint: 'fp-new', lastSeenAt: new Date(clock.now()), revokedAt: undefined },
    ]);
  });

  it('keeps several named agents per vendor, refuses a name in use, replaces and revokes one by name', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const clock = createManualClock();
    const db = openDatabase(path.join(tmp.dataDir, 'transfer.db'));
    cleanups.push(async () => void db.close());
    const store = createAgentStore(db, clock);
    await store.pin('CompersInc', 'fp-a', { name: 'render-01' });
    await store.pin('CompersInc', 'fp-b', { name: 'render-02' });
    expect(await store.isPinned('CompersInc', 'fp-a')).toBe(true);
    expect(await store.isPinned('CompersInc', 'fp-b')).toBe(true);
    await expect(store.pin('CompersInc', 'fp-c', { name: 'render-01' })).rejects.toMatchObject({ code: 'WIRE_AGENT_NAME_TAKEN' });
    expect(await store.isPinned('CompersInc', 'fp-c')).toBe(false);

    await store.pin('CompersInc', 'fp-c', { name: 'render-03', replace: 'render-02' });
    expect(await store.isPinned('CompersInc', 'fp-b')).toBe(false);
    expect(await store.revoke('CompersInc', 'render-01')).toBe('fp-a');
    expect(await store.revoke('CompersInc', 'render-01')).toBeUndefined();
    expect(await store.isPinned('CompersInc', 'fp-a')).toBe(false);
    expect(await store.agentOf('CompersInc', 'fp-a')).toMatchObject({ name: 'render-01', revokedAt: expect.any(Date) });
    const active = store.list().filter((a) => !a.revokedAt).map((a) => a.name);
    expect(active).toEqual(['render-03']);
  });
});
