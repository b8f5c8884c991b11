import { describe, expect, it } from 'vitest';
import { DirectMessageEvent } from './direct-message-event.js';
import { WebSocketMessageEvent } from './events.js';

/** Every attribute and method name of `Event` and `MessageEvent`, from the runtime's own prototypes. */
const INTERFACE_MEMBERS = [
  ...Object.getOwnPropertyNames(Event.prototype),
  ...Object.getOwnPropertyNames(MessageEvent.prototype),
].filter((name) => name !== 'constructor');

/** What a listener sees of `event` during dispatch and after: every member, read or called. */
function observe(event: Event): Record<string, unknown> {
  const seen: Record<string, unknown> = {};
  for (const name of INTERFACE_MEMBERS) {
    const value = (event as unknown as Record<string, unknown>)[name];
    seen[name] = typeof value === 'function' && name === 'composedPath' ? (value as () => unknown).call(event) : value;
    if (typeof value === 'function' && name !== 'composedPath') seen[name] = 'function';
  }
  return seen;
}

describe('DirectMessageEvent', () => {
  it('is a MessageEvent and an Event', () => {
    const event = new DirectMessageEvent(new EventTarget(), 1, 'x', 'ws://a') as unknown as MessageEvent;
    expect(event).toBeInstanceOf(MessageEvent);
    expect(event).toBeInstanceOf(Event);
    expect(Object.prototype.toString.call(event)).toBe('[object MessageEvent]');
  });

  it("reads, member for member, as Node's dispatch of a message event at its target does, during and after", () => {
    const target = new EventTarget();
    const data = Buffer.from('payload');
    // The reference: a real MessageEvent-like event through Node's EventTarget.
    let dispatchedDuring: Record<string, unknown> = {};
    let dispatchedEvent: Event | undefined;
    target.addEventListener('message', (event) => {
      dispatchedEvent = event;
      dispatchedDuring = observe(event);
    });
    target.dispatchEvent(new WebSocketMessageEvent('message', data, 'ws://a'));
    const dispatchedAfter = observe(dispatchedEvent as Event);

    const direct = new DirectMessageEvent(target, 42, data, 'ws://a');
    const directDuring = observe(direct as unknown as Event);
    direct.dispatched();
    const directAfter = observe(direct as unknown as Event);

    // timeStamp differs by design (ours is when the bytes were read); everything else matches.
    for (const seen of [dispatchedDuring, dispatchedAfter]) seen.timeStamp = 42;
    expect(directDuring).toEqual(dispatchedDuring);
    expect(directAfter).toEqual(dispatchedAfter);
    expect(directDuring.currentTarget).toBe(target);
    expect(directAfter.currentTarget).toBeNull();
  });

  it('records stopPropagation in cancelBubble and ignores preventDefault, as for a non-cancelable event', () => {
    const event = new DirectMessageEvent(new EventTarget(), 0, 'x', 'ws://a');
    expect(event.cancelBubble).toBe(false);
    event.preventDefault();
    expect(event.defaultPrevented).toBe(false);
    event.stopImmediatePropagation();
    expect(event.cancelBubble).toBe(true);
  });
});
