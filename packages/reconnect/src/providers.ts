import type { Provider } from './options.js';

/** The URL argument: a value or a provider re-run on every attempt. */
export type UrlProvider = Provider<string | URL>;
/** The protocols argument: a value or a provider re-run on every attempt. */
export type ProtocolsProvider = Provider<string | readonly string[] | undefined>;

/** What `provider` gives for this attempt: the value itself, or the function's (awaited) answer. */
export async function provide<T>(provider: Provider<T>): Promise<T> {
  return typeof provider === 'function' ? await (provider as () => T | Promise<T>)() : provider;
}

/** Protocols as the list a `WebSocket` constructor takes; `undefined` offers none. */
export function normaliseProtocols(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}
