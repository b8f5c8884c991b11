import { describe, expect, it } from 'vitest';
import { PingTracker } from './ping-tracker.js';

describe('PingTracker', () => {
  it('makes a different payload for every ping', () => {
    const tracker = new PingTracker();
    const payloads = new Set(Array.from({ length: 100 }, () => [...tracker.nextPayload()].join(',')));
    expect(payloads.size).toBe(100);
  });

  it('resolves the ping a pong answers, and every earlier one (RFC 6455 §5.5.3)', async () => {
    const tracker = new PingTracker();
    const first = tracker.expect(Uint8Array.of(1));
    const second = tracker.expect(Uint8Array.of(2));
    const third = tracker.expect(Uint8Array.of(3));
    tracker.answer(Uint8Array.of(2));
    await expect(first).resolves.toBeTypeOf('number');
    await expect(second).resolves.toBeGreaterThanOrEqual(0);
    let thirdSettled = false;
    third.then(() => {
      thirdSettled = true;
    });
    await Promise.resolve();
    expect(thirdSettled).toBe(false);
    tracker.answer(Uint8Array.of(3));
    await expect(third).resolves.toBeGreaterThanOrEqual(0);
  });

  it('ignores unsolicited pongs', async () => {
    const tracker = new PingTracker();
    const pending = tracker.expect(Uint8Array.of(7));
    tracker.answer(Uint8Array.of(8));
    tracker.answer(new Uint8Array(0));
    tracker.rejectAll(() => new Error('closed'));
    await expect(pending).rejects.toThrow('closed');
  });

  it('makes no error when nothing is pending', () => {
    const tracker = new PingTracker();
    let made = 0;
    tracker.rejectAll(() => {
      made++;
      return new Error('unused');
    });
    expect(made).toBe(0);
  });
});
