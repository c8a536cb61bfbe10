/**
 * The HQ server in one process: the transfer core with its local and wire
 * transports, the listener vendor agents dial, the tracker's actions, the job
 * hooks, the HTTP API and the dashboard. `handoff serve` runs it from the
 * config; tests and `handoff demo` start it in-process on free ports.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createActionAccess, createActionRuntime, loadActions, type ActionRuntime } from '../actions/index.ts';
import { HandoffError } from '../core/errors.ts';
import { createLogger } from '../core/log.ts';
import { createOutsource, settingsFromConfig } from '../outsource/index.ts';
import { replayOutbox } from './outbox.ts';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../transfer/embedded.ts';
import { createLocalTransport } from '../transfer/local/index.ts';
import { createHqListener, createWireTransport, loadHqIdentity, type AgentRegistry, type HqListener } from '../transfer/wire/index.ts';
import { builtinPrepublishService, prepublishServiceFromConfig } from '../vendor-publish/index.ts';
import type { VendorPublishServices } from '../vendor-publish/index.ts';
import type { ApiContext } from './api/index.ts';
import { withVolumes } from './from-config.ts';
import { checkReadiness, type Readiness } from './health.ts';
import { createHttpApp, listenHttp } from './http-app.ts';
import { planHttp, type ConnectionGuard } from './http-security.ts';
import { builtinHooksDir, loadServerHooks, resolverFor, runServerHooks } from './hooks.ts';
import { followTransfer } from './journal.ts';
import { createLiveFeed } from './live.ts';
import { checkServerOptions, type HqServerOptions } from './options.ts';
import { createPresence } from './presence.ts';
import { createRecorder } from './recorder.ts';
import { openRequestMemory } from './request-memory.ts';
import { openServerStore, type ServerStore } from './store.ts';
import { vendorsOf } from './vendors.ts';

export interface HqServer {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  /** Address vendor agents dial (`handoff://host:port`), when the listener runs. */
  readonly wireUrl: string | undefined;
  readonly transfer: EmbeddedTransfer;
  readonly listener: HqListener | undefined;
  readonly store: ServerStore;
  /** The dashboard URL; with a token, one that signs the browser in (the token stays in the fragment). */
  dashboardUrl(token?: string): string;
  /** A one-time enrolment code for a vendor's agent. */
  createEnrolmentCode(vendor: string): Promise<string>;
  readiness(): Promise<Readiness>;
  /** Stops taking requests, checkpoints transfers, closes agents and databases. Safe to call twice. */
  close(): Promise<void>;
}

function volumesOf(options: HqServerOptions): Record<string, string> {
  if (options.volumes) return options.volumes;
  const config = options.config;
  if (!config) return {};
  const names = Object.keys(config.volumes);
  const first = config.defaultVolume && names.includes(config.defaultVolume) ? [config.defaultVolume] : [];
  return Object.fromEntries([...first, ...names.filter((n) => !first.includes(n))].map((name) => [name, config.volumes[name]!.path]));
}

export async function createHqServer(options: HqServerOptions): Promise<HqServer> {
  checkServerOptions(options);
  const logger = options.logger ?? createLogger('server');
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const volumes = volumesOf(options);
  const vendorRoots = options.vendorRoots ?? {};
  const vendors = vendorsOf(options.config);
  const closing = new AbortController();
  const cleanups: Array<() => Promise<void> | void> = [];
  const background: Promise<unknown>[] = [];

  const store = openServerStore(path.join(dataDir, 'server.db'));
  cleanups.push(() => store.close());
  const requests = openRequestMemory(path.join(dataDir, 'requests.db'));
  cleanups.push(() => requests.close());
  const live = createLiveFeed();
  const recorder = createRecorder(store, live, logger);
  let transfer: EmbeddedTransfer | undefined;
  const core = (): EmbeddedTransfer => transfer!;
  const presence = createPresence({ transfer: core, live, recorder, vendors: Object.keys(vendors) });

  try {
    const listen = options.listen === false ? undefined : (options.listen ?? {});
    const named = (host: string | undefined): string[] => (host && host !== '0.0.0.0' && host !== '::' ? [host] : []);
    const hosts = [...new Set(['127.0.0.1', 'localhost', ...named(listen?.host), ...named(options.host), ...(options.publicHosts ?? [])])];
    const identity = await loadHqIdentity(path.join(dataDir, 'identity'), hosts);
    const httpHost = options.host ?? '127.0.0.1';
    const http = planHttp({ host: httpHost, tls: options.tls, allowPlainHttp: options.allowPlainHttp, publicUrl: options.publicUrl }, identity);
    // The transfer core keeps the agents' codes and pins; the listener exists first, so it reaches them late.
    const registry: AgentRegistry = {
      saveCode: (hash, vendor, expires) => core().agents.saveCode(hash, vendor, expires),
      takeCode: (hash, now) => core().agents.takeCode(hash, now),
      pin: (vendor, fingerprint, agent) => core().agents.pin(vendor, fingerprint, agent),
      isPinned: (vendor, fingerprint) => core().agents.isPinned(vendor, fingerprint),
      agentOf: (vendor, fingerprint) => core().agents.agentOf(vendor, fingerprint),
    };
    let listenerOpen = false;
    const listener = listen
      ? await createHqListener({ host: listen.host ?? '127.0.0.1', port: listen.port ?? 0, identity, registry, streams: options.streams, onAgent: (s) => presence.onAgent(s) })
      : undefined;
    if (listener) {
      listenerOpen = true;
      cleanups.unshift(async () => {
        listenerOpen = false;
        await listener.close();
      });
    }

    transfer = createEmbeddedTransfer({
      dataDir,
      roots: { hq: volumes, vendors: vendorRoots },
      limits: options.limits,
      retry: options.retry,
      transports: (access) => [
        createLocalTransport({ roots: { hq: volumes, vendors: vendorRoots } }),
        ...(listener ? [createWireTransport({ listener, volumes, access, vendorChanged: options.config?.transfer.vendorChanged })] : []),
      ],
    });
    const transferRef = transfer;
    // Closing the core stops the scheduler: running sends abort and their verified chunks stay in the ledger.
    cleanups.unshift(() => transferRef.close());

    const tracker = options.tracker;
    const hooks = await loadServerHooks({
      folders: options.hookFolders ?? [builtinHooksDir, ...(options.config?.hooks.folders ?? [])],
      entries: options.hookEntries ?? options.config?.hooks.entries,
      hooks: options.hooks,
    });
    // One pre-publish service from the config: the vendor endpoints and the landing check judge alike.
    const prepublish = tracker
      ? await (options.config ? prepublishServiceFromConfig(options.config, { tracker, hooks }) : builtinPrepublishService({ tracker, hooks }))
      : undefined;
    const defaultRoot = Object.values(volumes)[0];
    const vendorPublish: VendorPublishServices | undefined =
      prepublish && tracker && defaultRoot ? { tracker, hqRoot: defaultRoot, plan: prepublish.services.plan, prepublish: prepublish.services } : undefined;
    const signal = closing.signal;
    background.push(followTransfer({ transfer, live, recorder, signal }).catch((err: unknown) => logger.error('Following transfer events stopped', { error: String(err) })));
    background.push(
      runServerHooks({ hooks, transfer, resolve: resolverFor(volumes, vendorRoots), recorder, signal, services: { vendorPublish } }).catch((err: unknown) =>
        logger.error('The hook runner stopped', { error: String(err) }),
      ),
    );

    let actions: ActionRuntime | undefined;
    if (tracker?.actions) {
      const config = options.config && options.volumes ? withVolumes(options.config, options.volumes) : options.config;
      const outsource = config ? createOutsource({ settings: settingsFromConfig(config), transfer, dataDir: path.join(dataDir, 'outsource') }) : undefined;
      const services = outsource ? { outsource } : {};
      if (outsource) {
        background.push(
          replayOutbox({
            outbox: outsource.outbox,
            transfer,
            signal,
            onDrained: (sent, failed, pending) =>
              recorder.log({ type: 'outsource.outbox', level: failed ? 'warn' : 'info', message: `Outsource outbox: ${sent} delivered, ${failed} refused, ${pending} waiting` }),
            onError: (err) => logger.error('Replaying the Outsource outbox failed', { error: String(err) }),
          }),
        );
      }
      actions = createActionRuntime({
        tracker,
        actions: options.actions ?? (await loadActions()),
        services,
        access: createActionAccess({
          allow: Object.fromEntries(Object.entries(options.config?.actions ?? {}).map(([id, rule]) => [id, rule.allow])),
          vendors: Object.values(vendors).map((v) => ({ code: v.code, users: v.users, groups: v.group ? [v.group] : [] })),
        }),
        log: (event) => recorder.log({ type: `action.${event.type}`, level: event.type === 'launch-denied' ? 'warn' : 'error', message: `Action ${event.actionId}: ${event.error.message}`, data: { code: event.error.code } }),
      });
      const served = await tracker.actions.serve(actions);
      const runtime = actions;
      cleanups.unshift(async () => {
        await served.close();
        await runtime.close();
      });
    }

    const ctx: ApiContext = {
      transfer,
      store,
      live,
      recorder,
      presence,
      tracker,
      vendors,
      prepublish,
      createEnrolmentCode: listener ? (vendor) => listener.createEnrolmentCode(vendor) : undefined,
      revokeAgent: async (vendor, name) => {
        const fingerprint = await core().agents.revoke(vendor, name);
        if (fingerprint) listener?.disconnectAgent(vendor, fingerprint);
        return fingerprint !== undefined;
      },
      wireUrl: listener?.url,
      publicUrl: options.publicUrl,
      publicWireUrl: options.publicWireUrl,
      heartbeatMs: options.heartbeatMs ?? 15_000,
    };
    const readinessSources = () => ({ store, transfer: transferRef, tracker, listenerUp: listener ? () => listenerOpen : undefined });
    // A delivery moving through an agent is contact with it.
    const untouch = live.subscribe((event) => {
      if (event.kind !== 'job' || event.job.status !== 'running') return;
      for (const party of [event.job.source, event.job.destination]) if (party.kind === 'vendor') presence.touch(party.vendor);
    });
    cleanups.unshift(() => untouch());
    // The guard of anonymous connections exists once the server listens.
    const guard: { current?: ConnectionGuard } = {};
    const app = createHttpApp({
      ctx,
      api: {
        adminTokens: options.adminTokens,
        caCert: identity.caCert,
        isPinned: registry.isPinned,
        closing: signal,
        requests,
        onAuthenticated: (req) => guard.current?.authenticated(req.socket),
      },
      readiness: readinessSources,
      logger,
    });
    const listening = await listenHttp(app, httpHost, options.port ?? 0, http.tls);
    const { server, url } = listening;
    guard.current = listening.guard;
    if (http.warning) recorder.log({ type: 'server.plain-http', level: 'warn', message: http.warning });
    cleanups.push(() => void server.closeAllConnections());
    ctx.serverUrl = url;
    recorder.log({ type: 'server.started', level: 'info', message: `HQ server listening on ${url}${listener ? `, agents on ${listener.url}` : ''}`, data: { url, wire: listener?.url } });

    let closed: Promise<void> | undefined;
    return {
      url,
      wireUrl: listener?.url,
      transfer,
      listener,
      store,
      dashboardUrl: (token) => `${url}/${token ? `#token=${encodeURIComponent(token)}` : ''}`,
      createEnrolmentCode: async (vendor) => {
        if (!listener) {
          throw new HandoffError('SERVER_LISTENER_OFF', 'This server does not accept vendor agents (its agent listener is off)', {
            hint: 'Start the server with an agent listener (transfer.listen) to invite vendors.',
          });
        }
        return listener.createEnrolmentCode(vendor);
      },
      readiness: () => checkReadiness(readinessSources()),
      close: () =>
        (closed ??= (async () => {
          logger.info('HQ server shutting down');
          closing.abort();
          // New connections are refused; requests under way finish; live streams end with `closing`.
          const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          presence.close();
          await Promise.allSettled(background);
          await runCleanups(cleanups);
          await httpClosed;
        })()),
    };
  } catch (err) {
    closing.abort();
    presence.close();
    await runCleanups(cleanups);
    throw err;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    try {
      await cleanup();
    } catch {
      // Keep closing the rest; each part reports its own failures.
    }
  }
}
