// The dashboard's way to the HQ API: the admin token from this browser's
// storage in an Authorization header, and the live feed read with fetch.

const KEY = 'handoff.adminToken';

export const token = {
  get: () => localStorage.getItem(KEY),
  set: (value) => localStorage.setItem(KEY, value),
  clear: () => localStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `The server answered ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.hint = body?.error?.hint;
  }
}

export async function api(path, { method, body, bearer } = {}) {
  const response = await fetch(`api${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${bearer ?? token.get() ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * Reads /api/stream and calls onEvent for each event until `signal` aborts.
 * Reconnects with a growing delay (at most 10 s); onState says 'live',
 * 'reconnecting' or 'signed-out'.
 */
export async function follow({ onEvent, onState, onReconnected, signal }) {
  let delay = 500;
  let first = true;
  while (!signal.aborted) {
    try {
      const response = await fetch('api/stream', { headers: { authorization: `Bearer ${token.get() ?? ''}` }, signal });
      if (response.status === 401) return onState('signed-out');
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      onState('live');
      if (!first) onReconnected();
      first = false;
      delay = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) onEvent(JSON.parse(data));
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      console.warn('live feed interrupted', err);
    }
    onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
