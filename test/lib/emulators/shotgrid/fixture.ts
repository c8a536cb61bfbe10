/** Starts a seeded ShotGrid emulator and offers small REST helpers over real HTTP. */
import { startShotgridEmulator, type ShotgridEmulator, type ShotgridEmulatorOptions } from '../../../../lib/emulators/shotgrid/index.ts';

/** JSON read back from the wire: tests assert its shape, so they read it loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Wire = any;

export const ARRAY = 'application/vnd+shotgun.api3_array+json';
export const HASH = 'application/vnd+shotgun.api3_hash+json';

export interface RestFixture {
  emulator: ShotgridEmulator;
  token: string;
  /** Calls `/api/v1<path>` with the script's token; JSON bodies unless `type` says otherwise. */
  call(method: string, path: string, body?: unknown, type?: string): Promise<{ status: number; body: Wire; headers: Headers }>;
  close(): Promise<void>;
}

export async function tokenFor(url: string, form: Record<string, string>): Promise<{ status: number; body: Wire }> {
  const response = await fetch(`${url}/api/v1/auth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: await response.json() };
}

export async function startRest(options: ShotgridEmulatorOptions = {}): Promise<RestFixture> {
  const emulator = await startShotgridEmulator({ seed: 'demo', scriptKey: 'test-key', userPassword: 'pw', ...options });
  const { body } = await tokenFor(emulator.url, { grant_type: 'client_credentials', client_id: emulator.scriptName, client_secret: emulator.scriptKey });
  const token = body.access_token as string;
  return {
    emulator,
    token,
    async call(method, path, body, type = 'application/json') {
      const response = await fetch(`${emulator.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': type } : {}) },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text.trim() ? JSON.parse(text) : text;
      } catch {
        // Not JSON (HTML error pages, bytes): the raw text.
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: () => emulator.close(),
  };
}
