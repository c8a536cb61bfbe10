/**
 * Failures the emulated site answers with. One class serves both APIs: REST
 * sends it as the documented envelope `{errors:[{id,status,code,title,detail,
 * source,meta}]}` with its HTTP status, the JSON-RPC API as
 * `{exception:true, message, error_code}`.
 *
 * ShotGrid codes: 102 authentication, 103 invalid request or unknown type,
 * 104 missing record or refused write.
 */
import { randomBytes } from 'node:crypto';

export class SgError extends Error {
  readonly status: number;
  readonly code: number;
  readonly detail: string | null;
  readonly source: Record<string, unknown> | null;

  constructor(status: number, code: number, title: string, options: { detail?: string; source?: Record<string, unknown> } = {}) {
    super(title);
    this.status = status;
    this.code = code;
    this.detail = options.detail ?? null;
    this.source = options.source ?? null;
  }

  toEnvelope(): { errors: Record<string, unknown>[] } {
    return {
      errors: [{ id: randomBytes(16).toString('hex'), status: this.status, code: this.code, title: this.message, detail: this.detail, source: this.source, meta: null }],
    };
  }

  toRpc(): { exception: true; message: string; error_code: number } {
    return { exception: true, message: this.detail ? `${this.message} ${this.detail}` : this.message, error_code: this.code };
  }
}

export const badRequest = (title: string, source?: Record<string, unknown>, detail?: string): SgError =>
  new SgError(400, 103, title, { ...(source ? { source } : {}), ...(detail ? { detail } : {}) });

export const notFound = (type: string, id: number): SgError =>
  new SgError(404, 104, 'Not Found', { detail: `Entity of type [${type}] with id=${id} does not exist.` });

export const unknownType = (slug: string): SgError => new SgError(404, 103, 'Not Found', { detail: `Entity type '${slug}' does not exist.` });

export const unauthorized = (detail: string): SgError => new SgError(401, 102, 'Unauthorized', { detail });
