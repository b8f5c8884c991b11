import { describe, expect, it } from 'vitest';
import { WebSocketMessageEvent } from './events.js';

describe('WebSocketMessageEvent', () => {
  it('is a MessageEvent and an Event, with the MessageEvent attributes', () => {
    const data = Buffer.from('hi');
    const event = new WebSocketMessageEvent('message', data, 'ws://example.com') as Event as MessageEvent;
    expect(event).toBeInstanceOf(MessageEvent);
    expect(event).toBeInstanceOf(Event);
    expect(Object.prototype.toString.call(event)).toBe('[object MessageEvent]');
    expect(event.type).toBe('message');
    expect(event.data).toBe(data);
    expect(event.origin).toBe('ws://example.com');
    expect(event.lastEventId).toBe('');
    expect(event.source).toBeNull();
    expect(event.ports).toEqual([]);
    expect(event.bubbles).toBe(false);
    expect(event.cancelable).toBe(false);
    expect(typeof event.timeStamp).toBe('number');
  });

  it('is dispatched like any event: target, currentTarget and listener order', () => {
    const target = new EventTarget();
    const seen: unknown[] = [];
    target.addEventListener('message', (event) => seen.push(event.target === target, (event as MessageEvent).data));
    target.dispatchEvent(new WebSocketMessageEvent('message', 'text', 'ws://x'));
    expect(seen).toEqual([true, 'text']);
  });
});
