import { Event, EventHub } from '@ftrack/api';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_KEY, serveHub, waitFor } from './serve-hub.ts';

type Served = Awaited<ReturnType<typeof serveHub>>;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Parameters<typeof serveHub>[0] = {}): Promise<Served> {
  const served = await serveHub(options);
  cleanups.push(() => served.close());
  return served;
}

function clientHub(url: string, user: string): EventHub {
  const hub = new EventHub(url, user, API_KEY);
  hub.connect();
  cleanups.push(() => hub.disconnect());
  return hub;
}

/** A raw socket on the wire, recording every frame it receives. */
async function rawSocket(url: string, user = 'alice'): Promise<{ ws: WebSocket; frames: string[] }> {
  const text = await (await fetch(`${url}/socket.io/1/?api_user=${user}&api_key=${API_KEY}`)).text();
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/1/websocket/${text.split(':')[0]}`);
  const frames: string[] = [];
  ws.on('message', (m) => frames.push(m.toString()));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  cleanups.push(() => ws.close());
  return { ws, frames };
}

const event = (topic: string, data: object = {}, extra: object = {}) =>
  `5:::${JSON.stringify({ name: 'ftrack.event', args: [{ topic, data, id: `${topic}-${Math.random()}`, target: '', source: { id: 'raw' }, ...extra }] })}`;

describe('ftrack event hub', () => {
  it('hands out a session id to known credentials only, by query or headers', async () => {
    const { url } = await start();
    const ok = await fetch(`${url}/socket.io/1/?api_user=alice&api_key=${API_KEY}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^[0-9a-f]{32}:60:60:websocket$/);
    const byHeaders = await fetch(`${url}/socket.io/1/`, { headers: { 'ftrack-user': 'bob', 'ftrack-api-key': API_KEY } });
    expect(byHeaders.status).toBe(200);
    const bad = await fetch(`${url}/socket.io/1/?api_user=alice&api_key=wrong`);
    expect(bad.status).toBe(401);
  });

  it('refuses an upgrade with an unknown or reused session id', async () => {
    const { url } = await start();
    const sid = (await (await fetch(`${url}/socket.io/1/?api_user=alice&api_key=${API_KEY}`)).text()).split(':')[0];
    const first = new WebSocket(`${url.replace('http', 'ws')}/socket.io/1/websocket/${sid}`);
    await new Promise((resolve, reject) => first.once('open', resolve).once('error', reject));
    cleanups.push(() => first.close());
    const again = new WebSocket(`${url.replace('http', 'ws')}/socket.io/1/websocket/${sid}`);
    await expect(new Promise((resolve, reject) => again.once('open', resolve).once('error', reject))).rejects.toThrow(/401/);
  });

  it('routes events between real ftrack clients and replies to the publisher only', async () => {
    const { url } = await start();
    const responder = clientHub(url, 'alice');
    const bystander = clientHub(url, 'bob');
    const seen: string[] = [];
    responder.subscribe('topic=test.ping', (e) => ({ pong: (e.data as { n: number }).n + 1 }));
    bystander.subscribe('topic=ftrack.meta.reply', () => void seen.push('reply reached bystander'));
    const asker = clientHub(url, 'web');
    await waitFor(() => responder.isConnected() && bystander.isConnected() && asker.isConnected(), 5000, 'connections');
    const reply = (await asker.publishAndWaitForReply(new Event('test.ping', { n: 41 }), { timeout: 5 })) as { data: unknown; topic: string };
    expect(reply.topic).toBe('ftrack.meta.reply');
    expect(reply.data).toEqual({ pong: 42 });
    expect(seen).toEqual([]);
  });

  it('stamps source.user from the authenticated connection, whatever the client wrote', async () => {
    const { url, hub } = await start();
    const heard: unknown[] = [];
    hub.subscribe('topic=test.who', (e) => void heard.push(e.source.user));
    const forger = clientHub(url, 'bob');
    await waitFor(() => forger.isConnected(), 5000, 'connection');
    // The real client keeps a source the caller wrote (prepareSource), so it can claim to be anyone.
    await forger.publish(new Event('test.who', {}, { source: { user: { id: 'alice-id', username: 'alice' } } }));
    const raw = await rawSocket(url, 'bob');
    raw.ws.send(event('test.who', {}, { source: { id: 'raw', user: { id: 'alice-id', username: 'alice' } } }));
    raw.ws.send(event('test.who', {}, { source: { id: 'raw' } }));
    await waitFor(() => heard.length === 3, 5000, 'three events');
    expect(heard).toEqual([
      { id: 'bob-id', username: 'bob' },
      { id: 'bob-id', username: 'bob' },
      { id: 'bob-id', username: 'bob' },
    ]);
  });

  it('keeps one registration per subscriber when the real client subscribes before it is connected', async () => {
    const { url, hub } = await start();
    const client = new EventHub(url, 'alice', API_KEY);
    client.connect();
    cleanups.push(() => client.disconnect());
    const heard: unknown[] = [];
    client.subscribe('topic=test.once', (e) => void heard.push(e.data));
    await waitFor(() => client.isConnected() && hub.stats().subscribers === 2, 5000, 'reply and test subscriptions');
    await client.publish(new Event('test.once', { n: 1 }));
    await client.publish(new Event('test.once', { n: 2 }));
    await waitFor(() => heard.some((d) => (d as { n: number }).n === 2), 5000, 'the second event');
    expect(heard).toEqual([{ n: 1 }, { n: 2 }]);
    expect(hub.stats()).toEqual({ connections: 1, subscribers: 2 });
  });

  it('greets with 1::, sends heartbeats, and never sends frames clients cannot read', async () => {
    const { url } = await start({ heartbeatMs: 20 });
    const { frames } = await rawSocket(url);
    await waitFor(() => frames.filter((f) => f === '2::').length >= 3, 5000, 'heartbeats');
    expect(frames[0]).toBe('1::');
    expect(frames.every((f) => f === '1::' || f === '2::')).toBe(true);
  });

  it('closes a connection that stays silent past the close timeout, and keeps one that answers heartbeats', async () => {
    const { url, hub } = await start({ heartbeatMs: 20, closeTimeoutMs: 150 });
    const silent = await rawSocket(url);
    const answering = await rawSocket(url, 'bob');
    answering.ws.on('message', (m) => m.toString() === '2::' && answering.ws.send('2::'));
    const closed = new Promise((resolve) => silent.ws.once('close', resolve));
    await closed;
    await waitFor(() => hub.stats().connections === 1, 5000, 'the server to drop the silent socket');
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('acks an event when the sender asks for one', async () => {
    const { url } = await start();
    const { ws, frames } = await rawSocket(url);
    ws.send(event('test.any').replace('5:::', '5:7+::'));
    await waitFor(() => frames.some((f) => f.startsWith('6:::')), 5000, 'ack');
    const ack = frames.find((f) => f.startsWith('6:::')) ?? '';
    expect(ack.startsWith('6:::7+')).toBe(true);
    expect(JSON.parse(ack.slice('6:::7+'.length))).toEqual([{ success: true, message: expect.stringMatching(/^Published/) }]);
  });

  it('deduplicates repeated subscribes: one unsubscribe removes the subscriber', async () => {
    const { url, hub } = await start();
    const { ws, frames } = await rawSocket(url);
    const subscribe = event('ftrack.meta.subscribe', { subscriber: { id: 's1' }, subscription: 'topic=test.a' });
    ws.send(subscribe);
    ws.send(subscribe);
    await waitFor(() => hub.stats().subscribers === 1, 5000, 'subscription');
    ws.send(event('ftrack.meta.unsubscribe', { subscriber: { id: 's1' } }));
    ws.send(event('ftrack.meta.subscribe', { subscriber: { id: 's2' }, subscription: 'topic=test.b' }).replace('5:::', '5:2+::'));
    await waitFor(() => frames.some((f) => f.startsWith('6:::2+')), 5000, 'second subscription');
    expect(hub.stats().subscribers).toBe(1);
    hub.publish({ topic: 'test.a' });
    hub.publish({ topic: 'test.b' });
    await waitFor(() => frames.some((f) => f.includes('"test.b"')), 5000, 'test.b');
    expect(frames.filter((f) => f.startsWith('5:')).map((f) => JSON.parse(f.slice(4)).args[0].topic)).toEqual(['test.b']);
  });

  it('delivers an event once per connection and honours data conditions and targets', async () => {
    const { url, hub } = await start();
    const { ws, frames } = await rawSocket(url);
    ws.send(event('ftrack.meta.subscribe', { subscriber: { id: 'a', applicationId: 'ftrack.client.web', user: { id: 'u1' } }, subscription: 'topic=ftrack.action.*' }));
    ws.send(event('ftrack.meta.subscribe', { subscriber: { id: 'b' }, subscription: 'topic=ftrack.action.launch and data.actionIdentifier=outsource' }));
    await waitFor(() => hub.stats().subscribers === 2, 5000, 'subscriptions');
    hub.publish({ topic: 'ftrack.action.launch', data: { actionIdentifier: 'outsource' } });
    hub.publish({ topic: 'ftrack.action.trigger-user-interface', target: 'applicationId=ftrack.client.web and user.id="u2"' });
    hub.publish({ topic: 'ftrack.action.trigger-user-interface', target: 'applicationId=ftrack.client.web and user.id="u1"', data: { n: 2 } });
    await waitFor(() => frames.some((f) => f.includes('"n":2')), 5000, 'targeted event');
    const topics = frames.filter((f) => f.startsWith('5:')).map((f) => JSON.parse(f.slice(4)).args[0].topic);
    expect(topics).toEqual(['ftrack.action.launch', 'ftrack.action.trigger-user-interface']);
  });

  it('acks a bad subscription expression with the reason', async () => {
    const { url, hub } = await start();
    const { ws, frames } = await rawSocket(url);
    ws.send(event('ftrack.meta.subscribe', { subscriber: { id: 'x' }, subscription: 'topic=' }).replace('5:::', '5:1+::'));
    await waitFor(() => frames.some((f) => f.startsWith('6:::1+')), 5000, 'ack');
    expect(frames.find((f) => f.startsWith('6:::1+'))).toMatch(/"success":false.*invalid/);
    expect(hub.stats().subscribers).toBe(0);
  });

  it('closes every connection on close', async () => {
    const served = await serveHub();
    const { ws } = await rawSocket(served.url);
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await served.close();
    await closed;
    expect(served.hub.stats().connections).toBe(0);
  });
});
