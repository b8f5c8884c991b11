import { describe, expect, it } from 'vitest';
import { FakeWebSocket } from '../test-support/fake-websocket.js';
import { createOpenGate } from './open-gate.js';
import type { BeforeFlushContext } from './options.js';

/** A running gate whose hook never settles, and the context that hook was given. */
function gate() {
  const socket = new FakeWebSocket('ws://example.test/');
  socket.readyState = 1;
  const controller = new AbortController();
  let context: BeforeFlushContext | undefined;
  const running = createOpenGate(
    (given) => {
      context = given;
      return new Promise<void>(() => undefined);
    },
    socket,
    2,
    'ws://example.test/',
    controller.signal,
  );
  running.run(() => undefined);
  if (context === undefined) throw new Error('run() did not call the hook at once');
  return { socket, controller, gate: { ...running, context } };
}

describe('createOpenGate', () => {
  it('hands matching messages to nextMessage (held or future) and keeps the rest in order', async () => {
    const { gate: g } = gate();
    g.offer('a');
    g.offer('ack-1');
    const early = await g.context.nextMessage((data) => String(data).startsWith('ack'));
    const later = g.context.nextMessage((data) => data === 'ack-2');
    g.offer('b');
    g.offer('ack-2');
    expect(early).toBe('ack-1');
    await expect(later).resolves.toBe('ack-2');
    expect(g.end(new Error('done'))).toEqual(['a', 'b']);
    expect(g.end(new Error('again'))).toEqual([]);
  });

  it('sends straight to the socket and describes the attempt', () => {
    const { gate: g, socket } = gate();
    g.context.send('auth');
    expect(socket.sent).toEqual(['auth']);
    expect(g.context).toMatchObject({ attempt: 2, url: 'ws://example.test/', protocol: '' });
  });

  it('rejects pending and later nextMessage calls once ended or aborted', async () => {
    const { gate: g, controller } = gate();
    const pending = g.context.nextMessage();
    g.end(new Error('abandoned'));
    await expect(pending).rejects.toThrow('abandoned');
    controller.abort(new Error('aborted'));
    await expect(g.context.nextMessage()).rejects.toThrow('aborted');
  });

  it('treats a throwing predicate as no match', async () => {
    const { gate: g } = gate();
    g.offer('x');
    const next = g.context.nextMessage((data) => {
      if (data === 'x') throw new Error('bad predicate');
      return true;
    });
    g.offer('y');
    await expect(next).resolves.toBe('y');
  });
});
