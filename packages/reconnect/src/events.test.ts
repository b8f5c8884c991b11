import { describe, expect, it, vi } from 'vitest';
import { ListenerRegistry } from './listener-registry.js';

describe('ListenerRegistry (EventTarget semantics)', () => {
  it('registers a listener once, honours once and signal, and accepts handleEvent objects', () => {
    const registry = new ListenerRegistry();
    const seen: string[] = [];
    const listener = (event: { type: string }) => seen.push(`fn:${event.type}`);
    registry.add('message', listener as never);
    registry.add('message', listener as never);
    registry.add('message', { handleEvent: () => seen.push('object') } as never, { once: true });
    const controller = new AbortController();
    registry.add('message', (() => seen.push('signalled')) as never, { signal: controller.signal });
    registry.dispatch({ type: 'message' }, null);
    controller.abort();
    registry.dispatch({ type: 'message' }, null);
    expect(seen).toEqual(['fn:message', 'object', 'signalled', 'fn:message']);
    expect(registry.count('message')).toBe(1);
  });

  it('calls the handler first, and reports a throwing listener without skipping the others', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const registry = new ListenerRegistry();
    const seen: string[] = [];
    registry.add('open', (() => {
      throw new Error('boom');
    }) as never);
    registry.add('open', (() => seen.push('second')) as never);
    registry.dispatch({ type: 'open' }, (() => seen.push('handler')) as never);
    expect(seen).toEqual(['handler', 'second']);
    expect(reported).toEqual([new Error('boom')]);
    vi.unstubAllGlobals();
  });
});
