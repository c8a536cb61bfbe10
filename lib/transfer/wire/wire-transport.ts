/**
 * The `wire` Transport, run at HQ: moves files between an HQ volume and a
 * connected vendor agent in either direction. The scheduler drives it exactly
 * like the local transport; when the agent drops mid-send it waits for the agent
 * to come back and carries on from the ledger.
 */
import { HandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import type { Party } from '../types.ts';
import type { AccessCheck, FilePlan, ListRequest, SendOptions, Transport, VendorChangedAction } from '../transport.ts';
import { sortOut, type VendorNote } from './delta.ts';
import { splitClashes } from './names.ts';
import { loadChunkHash } from './chunk-hash.ts';
import { createConfiner } from './confine.ts';
import type { Confiner } from './confine.ts';
import { BatchError, Semaphore, aborted } from './context.ts';
import type { SendContext, WireFaults, WireStats } from './context.ts';
import { deliverFile, deliverSmall } from './deliver.ts';
import type { HqListener } from './hq-listener.ts';
import { FileReceiver } from './receiver.ts';
import { SPREAD_BURST_BYTES, chunkSizeForRoundTrip, chunksPerStream, filesForRoundTrip, WINDOW_BYTES } from './streams.ts';
import { listTree } from './source.ts';
import { unpackListing, validatePlans } from './plans.ts';
import { DEFAULT_TUNING } from './tuning.ts';
import type { WireTuning } from './tuning.ts';
import { uploadFile, uploadSmall } from './upload.ts';

export interface WireTransportOptions {
  listener: HqListener;
  /** HQ storage volumes by name; a party without a volume uses `default` (or the only one). */
  volumes: Record<string, string>;
  /** The core's shares/grants check, called for every HQ path a vendor reads or writes. */
  access: AccessCheck;
  tuning?: Partial<WireTuning> | undefined;
  /** How long to wait for a missing or dropped agent before giving up (default 60 s). */
  reconnectTimeoutMs?: number | undefined;
  faults?: WireFaults | undefined;
  /** A file at the vendor that differs from what HQ last sent there: `rename` (default) sets it aside and delivers, `overwrite`, or `keep` it. */
  vendorChanged?: VendorChangedAction | undefined;
}

export interface WireTransport extends Transport {
  stats(): WireStats;
}

const DISCONNECTS = new Set(['WIRE_DISCONNECTED', 'TRANSFER_AGENT_OFFLINE', 'WIRE_TIMEOUT']);
/**
 * Small-file batches per stream when a send's small files are spread: several
 * each, so a stream that comes out of slow start late holds back a quarter of
 * its share rather than all of it.
 */
const BATCHES_PER_STREAM = 4;

export function createWireTransport(options: WireTransportOptions): WireTransport {
  for (const name of ['listener', 'volumes', 'access'] as const) {
    if (!options[name]) throw new HandoffError('TRANSFER_OPTIONS_INVALID', `createWireTransport: option "${name}" is required`);
  }
  const tuning: WireTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const reconnectTimeoutMs = options.reconnectTimeoutMs ?? 60_000;
  const stats: WireStats = { chunksSent: 0, chunksResent: 0, spareChunks: 0, spareBatches: 0, bytesSent: 0, smallBatches: 0, smallFiles: 0 };
  const confiners = new Map<string, Confiner>();

  const volume = (party: Extract<Party, { kind: 'hq' }>): { root: string; confiner: Confiner } => {
    const names = Object.keys(options.volumes);
    const name = party.volume ?? (options.volumes.default ? 'default' : names.length === 1 ? names[0]! : 'default');
    const root = options.volumes[name];
    if (!root) {
      throw new HandoffError('TRANSFER_ROOT_UNKNOWN', `HQ has no storage volume "${name}"`, {
        details: { volume: name, known: names },
        hint: 'Use one of the configured volumes.',
      });
    }
    let confiner = confiners.get(root);
    if (!confiner) confiners.set(root, (confiner = createConfiner(root)));
    return { root, confiner };
  };

  const agent = (vendor: string, signal: AbortSignal) => options.listener.waitForAgent(vendor, { signal, timeoutMs: reconnectTimeoutMs });

  return {
    name: 'wire',
    stats: () => ({ ...stats }),
    onAgentReady: (listener) => void options.listener.onReady((session) => listener(session.vendor)),

    async list(from: Party, requests: ListRequest[], signal: AbortSignal): Promise<FilePlan[]> {
      await loadChunkHash();
      if (from.kind === 'hq') return listTree(volume(from).root, requests);
      const session = await agent(from.vendor, signal);
      const plans = await session.request<unknown>('list', { requests });
      return validatePlans(unpackListing(plans), requests);
    },

    async send(files: FilePlan[], given: SendOptions): Promise<void> {
      await loadChunkHash();
      const route = direction(given.from, given.to);
      const hq = volume(route.hq);
      // A file that replaces the vendor's own version says so when it is done.
      const notes = new Map<FilePlan, VendorNote>();
      const send: SendOptions = {
        ...given,
        onFileDone: (file, result) => given.onFileDone(file, result.ok && notes.has(file) ? { ...result, vendorChanged: notes.get(file) } : result),
      };
      const credited = new Map<FilePlan, number>();
      const { files: distinct, clashes } = route.upload ? { files, clashes: [] } : splitClashes(files);
      for (const { file, error } of clashes) send.onFileDone(file, { ok: false, error });
      let pending = distinct;
      while (pending.length > 0) {
        if (send.signal.aborted) throw aborted();
        const session = await agent(route.vendor, send.signal);
        // Uploads land through a receiver of this session's own: file and batch ids are per session.
        const receiver = new FileReceiver((relative, again) => hq.confiner.resolve(relative, true, again));
        const chunkSize = chunkSizeForRoundTrip(session.rttMs, tuning.chunkSize);
        const window = new Semaphore(windowSize(tuning, session.wantedStreams, chunkSize));
        let drain!: () => void;
        const ctx: SendContext = {
          session,
          vendor: route.vendor,
          options: send,
          tuning,
          access: options.access,
          hq: hq.confiner,
          receiver,
          window,
          reads: new Semaphore(1),
          chunkSize,
          drained: new Promise<void>((resolve) => (drain = resolve)),
          stats,
          faults: options.faults ?? {},
          credited,
        };
        const stopResizing = session.onStreams((count) => window.resize(windowSize(tuning, count, chunkSize)));
        const endSend = session.beginSend();
        try {
          // Asked on every session: the agent may have put files in place while HQ waited for it.
          if (!route.upload) {
            try {
              pending = await sortOut(ctx, pending, options.vendorChanged ?? 'rename', notes);
            } catch (err) {
              if (!session.isOpen && !send.signal.aborted) continue; // ask the next session
              throw err;
            }
          }
          pending = await runAll(ctx, pending, route.upload, drain);
        } finally {
          endSend();
          stopResizing();
          await receiver.dropAll();
        }
      }
    },
  };
}

/**
 * Runs every file once; returns the ones cut off by a disconnect (to run again on
 * the next session). Calls `drain` once the last file or batch has started.
 */
async function runAll(ctx: SendContext, files: FilePlan[], upload: boolean, drain: () => void): Promise<FilePlan[]> {
  const { tuning, options } = ctx;
  const again: FilePlan[] = [];
  const settle = (group: FilePlan[], err: unknown): void => {
    if (options.signal.aborted) return;
    const error = toTransferError(err, group[0]?.source ?? '');
    if (DISCONNECTS.has(error.code) && !ctx.session.isOpen) again.push(...group);
    else for (const file of group) options.onFileDone(file, { ok: false, error });
  };
  const small = files.filter((file) => file.size <= tuning.smallFileMax);
  const large = files.filter((file) => file.size > tuning.smallFileMax);
  const jobs: (() => Promise<void>)[] = [];
  // Spread small files over every stream (each TCP stream starts slow, and on a lossy link each
  // carries little), in batches no bigger than a chunk: like chunks, a batch is held in memory
  // while its stream's kernel buffer takes it. A short burst takes every open connection.
  const smallBytes = small.reduce((sum, file) => sum + file.size, 0);
  const streams = Math.max(1, smallBytes <= SPREAD_BURST_BYTES ? ctx.session.wantedConnections : ctx.session.wantedStreams);
  const spread: WireTuning = {
    ...tuning,
    batchBytes: Math.min(tuning.batchBytes, ctx.chunkSize, Math.max(64 * 1024, Math.ceil(smallBytes / (streams * BATCHES_PER_STREAM)))),
    batchFiles: Math.min(tuning.batchFiles, Math.max(16, Math.ceil(small.length / (streams * BATCHES_PER_STREAM)))),
  };
  for (const batch of batches(small, spread)) {
    jobs.push(() =>
      (upload ? uploadSmall(ctx, batch, streams) : deliverSmall(ctx, batch, streams)).catch((err: unknown) =>
        err instanceof BatchError ? settle(err.files, err.cause) : settle(batch, err),
      ),
    );
  }
  for (const file of large) {
    jobs.push(() =>
      (upload ? uploadFile(ctx, file) : deliverFile(ctx, file)).then(
        (digest) => options.onFileDone(file, { ok: true, digest: digest ?? undefined }),
        (err) => settle([file], err),
      ),
    );
  }
  // Enough files or batches at once to give every stream work. Batches count against the window's
  // bytes too: unacknowledged, they are what a dropped connection sends again.
  const largeAtOnce = Number.isFinite(ctx.session.rttMs) ? filesForRoundTrip(tuning.filesInFlight, ctx.session.rttMs) : tuning.filesInFlight;
  const parallel = Math.max(2, largeAtOnce, small.length > 0 ? windowSize(tuning, streams, spread.batchBytes) : 0);
  const worker = async (): Promise<void> => {
    for (let job = jobs.shift(); job && !options.signal.aborted; job = jobs.shift()) {
      if (jobs.length === 0) drain();
      await job();
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    drain();
  }
  if (options.signal.aborted) throw aborted();
  return again;
}

/**
 * Chunks in flight: every data connection needs one to carry, or parallel streams sit idle on
 * long links; past the memory window (TLS keeps a ciphertext copy until the kernel takes it)
 * memory grows without the link getting any fuller.
 */
function windowSize(tuning: WireTuning, streams: number, chunkSize: number): number {
  const byMemory = Math.max(2, Math.floor(WINDOW_BYTES / chunkSize));
  return Math.min(tuning.window, byMemory, Math.max(2, streams * chunksPerStream(chunkSize)));
}

function* batches(files: FilePlan[], tuning: WireTuning): Generator<FilePlan[]> {
  let batch: FilePlan[] = [];
  let bytes = 0;
  for (const file of files) {
    if (batch.length > 0 && (batch.length >= tuning.batchFiles || bytes + file.size > tuning.batchBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += file.size;
  }
  if (batch.length > 0) yield batch;
}

function direction(from: Party, to: Party): { hq: Extract<Party, { kind: 'hq' }>; vendor: string; upload: boolean } {
  if (from.kind === 'hq' && to.kind === 'vendor') return { hq: from, vendor: to.vendor, upload: false };
  if (from.kind === 'vendor' && to.kind === 'hq') return { hq: to, vendor: from.vendor, upload: true };
  throw new HandoffError('TRANSFER_ROUTE_UNSUPPORTED', 'The wire transport moves files between HQ and a vendor agent only', {
    details: { from, to },
    hint: 'Use the local transport for HQ-to-HQ copies; vendor-to-vendor goes through HQ.',
  });
}
