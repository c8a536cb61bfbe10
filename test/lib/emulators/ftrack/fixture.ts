/** Starts a seeded emulator and a real @ftrack/api Session against it. */
import { Session } from '@ftrack/api';
import { startFtrackEmulator, type FtrackEmulator, type FtrackEmulatorOptions } from '../../../../lib/emulators/ftrack/index.ts';

export interface EmulatorFixture {
  emulator: FtrackEmulator;
  session: Session;
  close(): Promise<void>;
}

export async function startWithSession(options: FtrackEmulatorOptions = {}): Promise<EmulatorFixture> {
  const emulator = await startFtrackEmulator({ seed: 'demo', apiKey: 'test-key', ...options });
  const session = new Session(emulator.url, emulator.user, emulator.apiKey, { autoConnectEventHub: false, decodeDatesAsIso: true });
  await session.initializing;
  return { emulator, session, close: () => emulator.close() };
}

/** Runs `call` and returns what it rejected with (fails the test if it resolved). */
export async function rejection(call: Promise<unknown>): Promise<Error & { errorCode?: string }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail');
}
