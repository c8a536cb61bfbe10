/**
 * Request/response over a framed control connection: `req` frames carry an id,
 * an operation and its payload; the answer is a `res` or an `err` with the same
 * id. Errors travel as HandoffError fields so codes survive the wire.
 */
import { HandoffError, toHandoffError } from '../../core/errors.ts';
import { closedError } from './frames.ts';
import type { Frame, FrameSocket } from './frames.ts';

export type RpcHandler = (op: string, payload: Record<string, unknown>) => Promise<unknown>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export class Rpc {
  private readonly socket: FrameSocket;
  private readonly handler: RpcHandler;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(socket: FrameSocket, handler: RpcHandler) {
    this.socket = socket;
    this.handler = handler;
  }

  request<T>(op: string, payload: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HandoffError('WIRE_TIMEOUT', `The other end did not answer "${op}" within ${timeoutMs} ms`, { retryable: true, details: { op } }));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.send({ t: 'req', id, op, p: payload }).catch((err: Error) => this.settle(id, undefined, err));
    });
  }

  /** Handles rpc frames; returns false for frames that are not rpc. */
  handle(frame: Frame): boolean {
    const head = frame.head;
    if (head.t === 'req') {
      void this.serve(Number(head.id), String(head.op), (head.p ?? {}) as Record<string, unknown>);
      return true;
    }
    if (head.t === 'res') {
      this.settle(Number(head.id), head.r, undefined);
      return true;
    }
    if (head.t === 'err') {
      const e = (head.e ?? {}) as Record<string, unknown>;
      this.settle(Number(head.id), undefined, new HandoffError(String(e.code ?? 'WIRE_REMOTE'), String(e.message ?? 'remote failure'), {
        retryable: e.retryable === true,
        hint: typeof e.hint === 'string' ? e.hint : undefined,
        details: (e.details ?? {}) as Record<string, unknown>,
      }));
      return true;
    }
    return false;
  }

  /** Rejects everything pending (the connection is gone). */
  closeAll(error: Error = closedError()): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
  }

  private async serve(id: number, op: string, payload: Record<string, unknown>): Promise<void> {
    try {
      const result = await this.handler(op, payload);
      await this.socket.send({ t: 'res', id, r: result ?? null });
    } catch (err) {
      const error = toHandoffError(err, 'INTERNAL');
      await this.socket.send({ t: 'err', id, e: error.toJSON() }).catch(() => undefined);
    }
  }

  private settle(id: number, value: unknown, error: Error | undefined): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(value);
  }
}
