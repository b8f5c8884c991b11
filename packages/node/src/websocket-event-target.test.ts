import { getEventListeners, getMaxListeners, setMaxListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseEvent, type CloseEventInit, ErrorEvent, type ErrorEventInit } from './events.js';
import { WebSocketEventTarget } from './websocket-event-target.js';

/** The target with its protected firing methods in reach. */
class Target extends WebSocketEventTarget {
  open(): void {
    this.fireOpen();
  }
  error(init: ErrorEventInit): void {
    this.fireError(init);
  }
  close(init: CloseEventInit): void {
    this.fireClose(init);
  }
  listened(): boolean {
    return this.hasEventListeners();
  }
}

/** Every member of `Event`, from the runtime's prototype, plus the event's own properties. */
function observe(event: Event): Record<string, unknown> {
  const seen: Record<string, unknown> = {};
  for (const name of [...Object.getOwnPropertyNames(Event.prototype), ...Object.keys(event)]) {
    if (name === 'constructor') continue;
    const value = (event as unknown as Record<string, unknown>)[name];
    if (name === 'composedPath') seen[name] = (value as () => unknown).call(event);
    else seen[name] = typeof value === 'function' ? 'function' : value;
  }
  seen.ownKeys = Object.keys(event);
  return seen;
}

const closeInit = { wasClean: true, code: 1000, reason: 'bye', sentCode: 1000 };
const errorInit = { error: new Error('boom'), message: 'boom' };

describe('WebSocketEventTarget before its first listener', () => {
  it('is an EventTarget holding no listener state', () => {
    const target = new Target();
    expect(target).toBeInstanceOf(EventTarget);
    expect(Object.getOwnPropertySymbols(target)).toEqual([]);
    target.onopen = () => {};
    target.onmessage = () => {};
    expect(Object.getOwnPropertySymbols(target)).toEqual([]);
    expect(target.listened()).toBe(false);
    target.addEventListener('open', () => {});
    expect(target.listened()).toBe(true);
  });

  it.each([
    ['open', (target: Target) => target.open(), Event, undefined],
    ['error', (target: Target) => target.error(errorInit), ErrorEvent, errorInit],
    ['close', (target: Target) => target.close(closeInit), CloseEvent, closeInit],
  ] as const)(
    'hands %s to its handler as a dispatch would, member for member, during and after',
    (type, fire, Class, init) => {
      // The reference: the same event through Node's EventTarget (a listener makes the state).
      const dispatched = new Target();
      const reference: Array<Record<string, unknown>> = [];
      let referenceEvent: Event | undefined;
      dispatched.addEventListener('x', () => {});
      dispatched[`on${type}`] = function (this: unknown, event: Event) {
        referenceEvent = event;
        reference.push(observe(event), { self: this === dispatched });
      } as never;
      fire(dispatched);

      const direct = new Target();
      const seen: Array<Record<string, unknown>> = [];
      let directEvent: Event | undefined;
      direct[`on${type}`] = function (this: unknown, event: Event) {
        directEvent = event;
        seen.push(observe(event), { self: this === direct });
      } as never;
      fire(direct);
      expect(Object.getOwnPropertySymbols(direct)).toEqual([]);

      expect(directEvent).toBeInstanceOf(Class);
      expect(directEvent).toBeInstanceOf(Event);
      const after = observe(directEvent as Event);
      const referenceAfter = observe(referenceEvent as Event);
      // The targets differ (each its own socket), and so do the times; everything else matches.
      for (const record of [...seen, ...reference, after, referenceAfter]) {
        for (const name of ['target', 'srcElement', 'currentTarget'])
          if (record[name] !== null && record[name] !== undefined) record[name] = 'the target';
        if (Array.isArray(record.composedPath)) record.composedPath = record.composedPath.length;
        if ('timeStamp' in record) record.timeStamp = typeof record.timeStamp;
      }
      expect(seen).toEqual(reference);
      expect(after).toEqual(referenceAfter);
      if (init !== undefined) expect(seen[0]).toMatchObject(init);
      expect(seen[0]?.target).toBe('the target');
      expect(after.currentTarget).toBeNull();
    },
  );

  it('keeps a limit set by events.setMaxListeners once the state is made', () => {
    const target = new Target();
    setMaxListeners(3, target);
    target.addEventListener('message', () => {});
    expect(getMaxListeners(target)).toBe(3);
  });

  it('answers events.getEventListeners before any listener was added, handlers included', () => {
    const target = new Target();
    expect(getEventListeners(target, 'open')).toEqual([]);
    const other = new Target();
    other.onclose = () => {};
    expect(getEventListeners(other, 'close')).toHaveLength(1);
    expect(getMaxListeners(other)).toBeGreaterThan(0);
    // The state made by that read is the one events then go through.
    const seen: string[] = [];
    other.addEventListener('close', () => seen.push('listener'));
    other.onclose = () => seen.push('handler');
    other.close({ code: 1000, reason: '', wasClean: true });
    expect(seen).toEqual(['handler', 'listener']);
  });
});

describe('WebSocketEventTarget listeners (Node’s EventTarget once the first is added)', () => {
  it('calls a function with the target as this, and an object’s handleEvent with the object', () => {
    const target = new Target();
    const seen: unknown[] = [];
    const object = {
      handleEvent(this: unknown, event: Event) {
        seen.push(this === object, event.target === target);
      },
    };
    target.addEventListener('open', function (this: unknown, event) {
      seen.push(this === target, event.target === target);
    });
    target.addEventListener('open', object);
    target.open();
    expect(seen).toEqual([true, true, true, true]);
  });

  it('adds a listener once per type and capture, honours once and an AbortSignal', () => {
    const target = new Target();
    const seen: string[] = [];
    const listener = () => seen.push('listener');
    target.addEventListener('open', listener);
    target.addEventListener('open', listener);
    target.addEventListener('open', listener, { capture: true });
    target.addEventListener('open', () => seen.push('once'), { once: true });
    const controller = new AbortController();
    target.addEventListener('open', () => seen.push('signal'), { signal: controller.signal });
    target.open();
    controller.abort();
    target.open();
    target.removeEventListener('open', listener);
    target.removeEventListener('open', listener, { capture: true });
    target.open();
    expect(seen).toEqual(['listener', 'listener', 'once', 'signal', 'listener', 'listener']);
  });

  it('does not call a listener removed during the dispatch', () => {
    const target = new Target();
    const seen: string[] = [];
    const second = () => seen.push('second');
    target.addEventListener('close', () => {
      seen.push('first');
      target.removeEventListener('close', second);
    });
    target.addEventListener('close', second);
    target.close(closeInit);
    expect(seen).toEqual(['first']);
  });

  it('keeps handlers at the place where they were set, relative to listeners', () => {
    const target = new Target();
    const order: string[] = [];
    target.onclose = () => order.push('onclose');
    target.onopen = () => order.push('onopen');
    target.addEventListener('open', () => order.push('open listener'));
    target.addEventListener('close', () => order.push('close listener'));
    target.onerror = () => order.push('onerror');
    target.addEventListener('error', () => order.push('error listener'));
    target.onopen = null;
    target.onopen = () => order.push('onopen again');
    target.open();
    target.error(errorInit);
    target.close(closeInit);
    expect(order).toEqual(['open listener', 'onopen again', 'onerror', 'error listener', 'onclose', 'close listener']);
  });

  it('dispatches an event from outside at itself, reporting preventDefault', () => {
    const target = new Target();
    const seen: unknown[] = [];
    target.onmessage = function (this: unknown, event) {
      seen.push(this === target, event.target === target);
      event.preventDefault();
    };
    expect(target.dispatchEvent(new Event('message', { cancelable: true }))).toBe(false);
    expect(seen).toEqual([true, true]);
  });

  it('removes nothing, and makes no state, when there is no listener', () => {
    const target = new Target();
    target.removeEventListener('open', () => {});
    expect(Object.getOwnPropertySymbols(target)).toEqual([]);
  });
});

describe('WebSocketEventTarget errors from a handler called directly', () => {
  const previous = process.listeners('uncaughtException');
  afterEach(() => {
    process.removeAllListeners('uncaughtException');
    for (const listener of previous) process.on('uncaughtException', listener);
  });

  it('are reported as uncaught exceptions after the handler, as Node’s dispatch reports them', async () => {
    process.removeAllListeners('uncaughtException');
    const reported: unknown[] = [];
    process.on('uncaughtException', (error) => reported.push(error));
    const target = new Target();
    const seen: string[] = [];
    target.onclose = () => {
      seen.push('onclose');
      throw new Error('handler bug');
    };
    target.close(closeInit);
    seen.push('after');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['onclose', 'after']);
    expect(reported.map((error) => (error as Error).message)).toEqual(['handler bug']);
  });
});
