// Runs in the page: exposes the shared behaviour suite and lifecycle probes on `window.sturdy`
// for the Playwright specs, using the umbrella loaded from /sturdysocket.js.
import { ReconnectingWebSocket, type LifecycleSignals as ReconnectLifecycleSignals } from '@sturdysocket/reconnect';
import { capabilities, createLifecycleSignals, createWebSocket, type LifecycleSignal } from 'sturdysocket';
import { type BehaviourTarget, runBehaviourCase } from '../../shared/behaviour-suite.js';
import { CHROMIUM_QUIRKS, type WorkerEnvironment, type WorkerReply, type WorkerRequest } from './protocol.js';

function targetFor(refusedPort: number): BehaviourTarget {
  return {
    baseUrl: () => `ws://${location.host}`,
    refusedUrl: () => `ws://127.0.0.1:${refusedPort}/`,
    createWebSocket: (url, options) => createWebSocket(url, options),
    quirks: CHROMIUM_QUIRKS,
  };
}

let worker: Worker | undefined;
function askWorker(request: WorkerRequest): Promise<WorkerReply> {
  worker ??= new Worker('/worker-harness.js', { type: 'module', name: 'sturdysocket-e2e' });
  const current = worker;
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<WorkerReply>): void => {
      current.removeEventListener('message', onMessage);
      current.removeEventListener('error', onError);
      resolve(event.data);
    };
    const onError = (event: ErrorEvent): void => {
      current.removeEventListener('message', onMessage);
      current.removeEventListener('error', onError);
      reject(new Error(`Worker error: ${event.message}`));
    };
    current.addEventListener('message', onMessage);
    current.addEventListener('error', onError);
    current.postMessage(request);
  });
}

/** Signals received since the page started listening; survives a trip through the bfcache. */
const signals: LifecycleSignal[] = [];
// Typed as the reconnect layer's option, so the e2e typecheck proves the adapter fits it.
const lifecycle: ReconnectLifecycleSignals = createLifecycleSignals();
let unsubscribe = lifecycle.subscribe((signal) => signals.push(signal));

/**
 * The reconnect layer over this adapter and these signals (bundled from its built dist): it starts
 * against a refused port with a fixed 60 s backoff, so only a lifecycle signal can make it retry
 * sooner.
 */
let reconnecting: ReconnectingWebSocket | undefined;
const reconnectLog: string[] = [];
const reconnectCloses: string[] = [];
let reconnectTarget = '';
const reconnect = {
  start(refusedPort: number): void {
    reconnect.startAt(`ws://127.0.0.1:${refusedPort}/`);
  },
  startAt(url: string): void {
    reconnectTarget = url;
    reconnecting = new ReconnectingWebSocket(() => reconnectTarget, undefined, {
      factory: (url, protocols) => createWebSocket(url, protocols === undefined ? {} : { protocols }),
      lifecycle: createLifecycleSignals(),
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' },
    });
    reconnecting.on('state', ({ to }) => reconnectLog.push(to));
    reconnecting.on('close', ({ code, reason, willReconnect }) =>
      reconnectCloses.push(`${code} ${reason} ${willReconnect}`),
    );
    reconnecting.on('reconnecting', ({ paused }) =>
      reconnectLog.push(paused ? 'reconnecting (paused)' : 'reconnecting'),
    );
  },
  pointAtEchoServer(): void {
    reconnectTarget = `ws://${location.host}/echo`;
  },
  /** The open connection's close events as the page saw them: `code reason willReconnect`. */
  closes: (): string[] => reconnectCloses.slice(),
  log: (): string[] => reconnectLog.slice(),
  async echo(text: string): Promise<unknown> {
    const socket = reconnecting;
    if (socket === undefined) throw new Error('not started');
    const reply = new Promise((resolve) => socket.once('message', resolve));
    socket.send(text);
    return reply;
  },
  close(): void {
    reconnecting?.close();
  },
};

const sturdy = {
  reconnect,
  capabilities,
  async runCase(name: string, refusedPort: number): Promise<void> {
    await runBehaviourCase(name, targetFor(refusedPort));
  },
  async runCaseInWorker(name: string, refusedPort: number): Promise<void> {
    const reply = await askWorker({
      kind: 'case',
      name,
      baseUrl: `ws://${location.host}`,
      refusedUrl: `ws://127.0.0.1:${refusedPort}/`,
    });
    if (!reply.ok) throw new Error(reply.message);
  },
  async workerEnvironment(): Promise<WorkerEnvironment> {
    const reply = await askWorker({ kind: 'environment' });
    if (!reply.ok) throw new Error(reply.message);
    if (reply.environment === undefined) throw new Error('The worker sent no environment');
    return reply.environment;
  },
  headersError(): string {
    try {
      createWebSocket(`ws://${location.host}/headers`, { headers: { Authorization: 'Bearer secret' } });
      return 'nothing thrown';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  },
  signals: (): LifecycleSignal[] => signals.slice(),
  online: (): boolean | undefined => lifecycle.online,
  stopListening(): void {
    unsubscribe();
    unsubscribe = () => {};
  },
};

declare global {
  interface Window {
    sturdy: typeof sturdy;
  }
}
window.sturdy = sturdy;
