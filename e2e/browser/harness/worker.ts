// Runs in a module Web Worker: the same behaviour suite through the same umbrella bundle, with no
// window and no document.
import { capabilities, createLifecycleSignals, createWebSocket } from 'sturdysocket';
import { runBehaviourCase } from '../../shared/behaviour-suite.js';
import { CHROMIUM_QUIRKS, type WorkerReply, type WorkerRequest } from './protocol.js';

/** The part of `DedicatedWorkerGlobalScope` used here (the DOM lib types `self` as a Window). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
  postMessage(message: WorkerReply): void;
}
const scope = globalThis as unknown as WorkerScope;

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'environment') {
    let headersError = 'nothing thrown';
    try {
      createWebSocket('ws://127.0.0.1:9/', { headers: { 'X-Nope': '1' } });
    } catch (error) {
      headersError = (error as Error).name;
    }
    return {
      ok: true,
      environment: {
        hasWindow: 'window' in globalThis,
        hasDocument: 'document' in globalThis,
        capabilities: { ...capabilities },
        online: createLifecycleSignals().online,
        headersError,
      },
    };
  }
  await runBehaviourCase(request.name, {
    baseUrl: () => request.baseUrl,
    refusedUrl: () => request.refusedUrl,
    createWebSocket: (url, options) => createWebSocket(url, options),
    quirks: CHROMIUM_QUIRKS,
  });
  return { ok: true };
}

scope.addEventListener('message', (event) => {
  handle(event.data).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) => scope.postMessage({ ok: false, message: String((error as Error)?.stack ?? error) }),
  );
});
