/**
 * The HQ server's live feed read as any API client reads it: `GET /api/stream`
 * (server-sent events) with the admin token. Events are kept from the moment
 * it connects, so a wait never misses one that came first.
 */
import { HandoffError } from '../core/errors.ts';
import type { LiveEvent } from '../server/index.ts';

export interface LiveClient {
  /** The first event (seen or coming) for which `pick` returns a value. */
  until<T>(pick: (event: LiveEvent) => T | undefined, timeoutMs: number, what: string): Promise<T>;
  /** Called for every event from now on; returns an unsubscribe. */
  on(listener: (event: LiveEvent) => void): () => void;
  close(): void;
}

export async function connectLive(serverUrl: string, token: string): Promise<LiveClient> {
  const controller = new AbortController();
  const events: LiveEvent[] = [];
  const listeners = new Set<(event: LiveEvent) => void>();
  const response = await fetch(`${serverUrl}/api/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) throw new HandoffError('DEMO_STEP_FAILED', `The server's live feed answered ${response.status}`, { hint: 'Check the admin token and the server log.' });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (!data) continue;
        const event = JSON.parse(data) as LiveEvent;
        events.push(event);
        for (const listener of [...listeners]) listener(event);
      }
    }
  })().catch(() => undefined);

  return {
    until(pick, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        for (const event of events) {
          const hit = pick(event);
          if (hit !== undefined) return resolve(hit);
        }
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new HandoffError('DEMO_TIMEOUT', `Waited ${Math.round(timeoutMs / 1000)} s for ${what}`, { retryable: true, hint: 'The machine may be very busy; run the demo again, or with --debug to see the server log.' }));
        }, timeoutMs);
        const listener = (event: LiveEvent): void => {
          const hit = pick(event);
          if (hit === undefined) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(hit);
        };
        listeners.add(listener);
      });
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => controller.abort(),
  };
}
