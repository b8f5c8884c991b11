import type { LifecycleSignal } from '@sturdysocket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createLifecycleSignals } from './lifecycle-signals.js';

// Node's EventTarget and Event are the platform's own classes: the adapter is driven by real
// dispatches, as a page's window and document would dispatch them.
class TestDocument extends EventTarget {
  visibilityState = 'visible';
}

function pageShow(persisted: boolean): Event {
  return Object.assign(new Event('pageshow'), { persisted });
}

function setup() {
  const global = new EventTarget();
  const document = new TestDocument();
  const navigator = { onLine: true };
  const signals = createLifecycleSignals({ global, document, navigator });
  const received: LifecycleSignal[] = [];
  return {
    global,
    document,
    navigator,
    signals,
    received,
    listener: (signal: LifecycleSignal) => received.push(signal),
  };
}

const originalReportError = Object.getOwnPropertyDescriptor(globalThis, 'reportError');
afterEach(() => {
  if (originalReportError) Object.defineProperty(globalThis, 'reportError', originalReportError);
  else delete (globalThis as { reportError?: unknown }).reportError;
});

describe('createLifecycleSignals', () => {
  it('maps the platform events to signals', () => {
    const { global, document, signals, received, listener } = setup();
    signals.subscribe(listener);
    global.dispatchEvent(new Event('offline'));
    global.dispatchEvent(new Event('online'));
    global.dispatchEvent(new Event('pagehide'));
    global.dispatchEvent(pageShow(true));
    document.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    document.dispatchEvent(new Event('freeze'));
    document.dispatchEvent(new Event('resume'));
    document.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(received).toEqual(['offline', 'online', 'pagehide', 'pageshow', 'hidden', 'freeze', 'resume', 'visible']);
  });

  it("ignores the first load's pageshow (not from the back-forward cache)", () => {
    const { global, signals, received, listener } = setup();
    signals.subscribe(listener);
    global.dispatchEvent(pageShow(false));
    global.dispatchEvent(new Event('pageshow'));
    expect(received).toEqual([]);
  });

  it('reads online from navigator.onLine at each access', () => {
    const { navigator, signals } = setup();
    expect(signals.online).toBe(true);
    navigator.onLine = false;
    expect(signals.online).toBe(false);
    expect(createLifecycleSignals({ global: null, document: null, navigator: null }).online).toBeUndefined();
  });

  it('stops delivering after unsubscribe; unsubscribing twice is harmless', () => {
    const { global, signals, received, listener } = setup();
    const first: LifecycleSignal[] = [];
    const unsubscribeFirst = signals.subscribe((signal) => first.push(signal));
    const unsubscribe = signals.subscribe(listener);
    global.dispatchEvent(new Event('offline'));
    unsubscribeFirst();
    unsubscribeFirst();
    global.dispatchEvent(new Event('online'));
    unsubscribe();
    global.dispatchEvent(new Event('offline'));
    expect(first).toEqual(['offline']);
    expect(received).toEqual(['offline', 'online']);
  });

  it('detaches from the platform when the last listener leaves, and reattaches on a new one', () => {
    const attached = new Map<string, number>();
    const global = {
      addEventListener: (type: string) => attached.set(type, (attached.get(type) ?? 0) + 1),
      removeEventListener: (type: string) => attached.set(type, (attached.get(type) ?? 0) - 1),
    };
    const signals = createLifecycleSignals({ global, document: null, navigator: null });
    expect([...attached.values()].every((count) => count === 0)).toBe(true);
    const a = signals.subscribe(() => {});
    const b = signals.subscribe(() => {});
    expect(Object.fromEntries(attached)).toEqual({ online: 1, offline: 1, pagehide: 1, pageshow: 1 });
    a();
    expect(attached.get('online')).toBe(1);
    b();
    expect([...attached.values()].every((count) => count === 0)).toBe(true);
    const c = signals.subscribe(() => {});
    expect(attached.get('offline')).toBe(1);
    c();
  });

  it('keeps delivering to other listeners when one throws, and reports the error', () => {
    const reported: unknown[] = [];
    Object.defineProperty(globalThis, 'reportError', {
      value: (error: unknown) => reported.push(error),
      configurable: true,
      writable: true,
    });
    const { global, signals, received, listener } = setup();
    const failure = new Error('listener failed');
    signals.subscribe(() => {
      throw failure;
    });
    signals.subscribe(listener);
    global.dispatchEvent(new Event('offline'));
    expect(received).toEqual(['offline']);
    expect(reported).toEqual([failure]);
  });

  it('rethrows a listener error from a microtask where there is no reportError', () => {
    delete (globalThis as { reportError?: unknown }).reportError;
    const queued: Array<() => void> = [];
    const originalQueueMicrotask = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (callback) => queued.push(callback);
    try {
      const { global, signals, received, listener } = setup();
      const failure = new Error('listener failed');
      signals.subscribe(() => {
        throw failure;
      });
      signals.subscribe(listener);
      global.dispatchEvent(new Event('online'));
      expect(received).toEqual(['online']);
      expect(queued).toHaveLength(1);
      expect(() => queued[0]?.()).toThrow(failure);
    } finally {
      globalThis.queueMicrotask = originalQueueMicrotask;
    }
  });

  it('works where there is no window, document or navigator (a server runtime, a Worker without events)', () => {
    const signals = createLifecycleSignals();
    const unsubscribe = signals.subscribe(() => {});
    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
    const hasOnLine = typeof (globalThis as { navigator?: { onLine?: unknown } }).navigator?.onLine === 'boolean';
    expect(signals.online === undefined).toBe(!hasOnLine);
    // A server-side stub document that is no event target is left alone, not called.
    const stubbed = createLifecycleSignals({ global: {} as never, document: { visibilityState: 'visible' } as never });
    expect(() => stubbed.subscribe(() => {})()).not.toThrow();
  });
});
