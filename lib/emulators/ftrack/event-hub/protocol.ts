/**
 * The socket.io 0.9 frames ftrack clients speak: `type:[id[+]]:[endpoint][:data]`.
 * Only the frames every client understands are ever sent: `1::` (connected),
 * `2::` (heartbeat), `5:::{json}` (event, never with a message id, which the
 * JavaScript client cannot parse) and `6:::id+[json]` (ack, only when asked).
 * `8::` (noop) is never sent: the Python client's reader dies on it.
 */
export const FRAME = {
  disconnect: '0',
  connect: '1',
  heartbeat: '2',
  message: '3',
  json: '4',
  event: '5',
  ack: '6',
  error: '7',
} as const;

export type Frame = {
  type: string;
  /** Message id when the sender set one. */
  id: string;
  /** True when the id ends in `+`: the sender wants an ack with data. */
  wantsAck: boolean;
  data: string;
};

const FRAME_PATTERN = /^(\d):(\d*)(\+?):[^:]*(?::([\s\S]*))?$/;

export function parseFrame(text: string): Frame | undefined {
  const m = FRAME_PATTERN.exec(text);
  if (!m) return undefined;
  return { type: m[1] ?? '', id: m[2] ?? '', wantsAck: m[3] === '+', data: m[4] ?? '' };
}

export const connectFrame = `${FRAME.connect}::`;
export const heartbeatFrame = `${FRAME.heartbeat}::`;

export function eventFrame(name: string, payload: unknown): string {
  return `${FRAME.event}:::${JSON.stringify({ name, args: [payload] })}`;
}

export function ackFrame(id: string, args: unknown[]): string {
  return `${FRAME.ack}:::${id}+${JSON.stringify(args)}`;
}

/** Parses an event frame's data into its name and first argument, or undefined when malformed. */
export function parseEventData(data: string): { name: string; payload: unknown } | undefined {
  try {
    const parsed = JSON.parse(data) as { name?: unknown; args?: unknown };
    if (typeof parsed.name !== 'string') return undefined;
    const args = Array.isArray(parsed.args) ? parsed.args : [];
    return { name: parsed.name, payload: args[0] };
  } catch {
    return undefined;
  }
}
