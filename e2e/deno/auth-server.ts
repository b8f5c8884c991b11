// The auth server (e2e/shared/auth-server.mjs) as the Deno suites use it: started once per test
// file, with sessions created and inspected over its HTTP control port.
import { startNodeServer } from './server-process.ts';

export const server = await startNodeServer<{ port: number; controlPort: number }>('auth-server.mjs');
globalThis.addEventListener('unload', () => server.stop());

export async function call<T>(method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${server.controlPort}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Creates a session with `config`; returns its id and the WebSocket URL to connect to. */
export async function newSession(config: object): Promise<{ id: string; url: string }> {
  const { id, path } = await call<{ id: string; path: string }>('POST', '/sessions', config);
  return { id, url: `ws://127.0.0.1:${server.port}${path}` };
}

/** What the session saw, once its connections have finished closing. */
export const sessionSeen = <Seen>(id: string) => call<Seen>('GET', `/sessions/${id}?settle=2000`);

/** A request to the control port: create, configure or inspect sessions, restart the server. */
