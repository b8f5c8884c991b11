import type { LifecycleSignal } from '@sturdysocket/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../test-support/fake-clock.js';
import { fakeTransport, PingableFakeWebSocket } from '../test-support/fake-websocket.js';
import { manualSignals } from '../test-support/manual-signals.js';
import { ReconnectingWebSocket } from './reconnecting-websocket.js';
import { canTransition, type ReconnectState } from './state-machine.js';

type Operation =
  | { op: 'accept' }
  | { op: 'drop' }
  | { op: 'serverClose'; code: number }
  | { op: 'receive' }
  | { op: 'send' }
  | { op: 'close' }
  | { op: 'reconnect' }
  | { op: 'advance'; ms: number }
  | { op: 'signal'; signal: LifecycleSignal };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant({ op: 'accept' as const }),
  fc.constant({ op: 'drop' as const }),
  fc.record({ op: fc.constant('serverClose' as const), code: fc.constantFrom(1000, 1001, 1008, 1011, 4000, 4500) }),
  fc.constant({ op: 'receive' as const }),
  fc.constant({ op: 'send' as const }),
  fc.constant({ op: 'close' as const }),
  fc.constant({ op: 'reconnect' as const }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({
    op: fc.constant('signal' as const),
    signal: fc.constantFrom<LifecycleSignal>(
      'online',
      'offline',
      'visible',
      'hidden',
      'pageshow',
      'pagehide',
      'freeze',
      'resume',
    ),
  }),
);

describe('ReconnectingWebSocket under random operation sequences', () => {
  it('never wedges, never leaks a socket or timer, and accounts for every message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { maxLength: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (ops, draw) => {
          const clock = new FakeClock();
          const transport = fakeTransport(PingableFakeWebSocket);
          const signals = manualSignals();
          let offline = false;
          /** After pagehide, until pageshow (or the loop ends), the loop waits without a timer. */
          let hidden = false;
          const socket = new ReconnectingWebSocket('ws://example.test/', undefined, {
            WebSocket: transport.WebSocket,
            clock,
            random: () => draw,
            connectionTimeoutMs: 5000,
            heartbeat: { intervalMs: 3000, timeoutMs: 1000 },
            outbox: { maxMessages: 5, ttlMs: 30_000 },
            lifecycle: signals,
          });
          let state: ReconnectState = socket.state;
          let finalCloses = 0;
          let userClosed = false;
          socket.on('state', ({ from, to }) => {
            expect(from).toBe(state);
            expect(canTransition(from, to)).toBe(true);
            state = to;
          });
          const endedBadly: string[] = [];
          socket.on('close', ({ willReconnect }) => {
            if (willReconnect) return;
            finalCloses++;
            // The loop has ended when it says so, and has let go of every timer by then.
            if (socket.state !== 'closed' || clock.pending !== 0)
              endedBadly.push(`final close in ${socket.state}, ${clock.pending} timers pending`);
          });
          let sent = 0;
          let settled = 0;
          const receipts: Promise<void>[] = [];
          await settle();

          for (const step of ops) {
            const fake = transport.sockets.at(-1);
            const socketsBefore = transport.sockets.length;
            switch (step.op) {
              case 'accept':
                if (fake && fake.readyState === 0) fake.accept();
                break;
              case 'drop':
                if (fake && fake.readyState <= 1) fake.drop();
                break;
              case 'serverClose':
                if (fake && fake.readyState >= 1 && fake.readyState <= 2) fake.serverClose(step.code);
                break;
              case 'receive':
                if (fake && fake.readyState === 1) fake.receive('data');
                break;
              case 'send': {
                sent++;
                try {
                  const receipt = socket.sendWithReceipt(`m${sent}`);
                  receipts.push(
                    receipt.delivered.then(
                      () => void settled++,
                      () => void settled++,
                    ),
                  );
                } catch {
                  settled++;
                }
                break;
              }
              case 'close':
                finalCloses = 0;
                userClosed = socket.state !== 'closed' || userClosed;
                socket.close();
                break;
              case 'reconnect':
                // A reconnect() after the loop ended starts a new one, which may end (once) too.
                if (socket.state === 'closed') finalCloses = 0;
                userClosed = false;
                socket.reconnect();
                break;
              case 'advance':
                await clock.advance(step.ms);
                break;
              case 'signal':
                if (step.signal === 'offline') offline = true;
                if (step.signal === 'online') offline = false;
                if (step.signal === 'pagehide') hidden = socket.state !== 'closed' && socket.state !== 'closing';
                if (step.signal === 'pageshow') hidden = false;
                signals.fire(step.signal);
                break;
            }
            await settle();
            expect(endedBadly).toEqual([]);
            // At most one socket is ever held.
            expect(transport.live().length).toBeLessThanOrEqual(1);
            if (socket.state === 'open') expect(transport.live()[0]?.readyState).toBe(1);
            // A closed loop holds nothing: no timer, no socket, no lifecycle subscription.
            if (socket.state === 'closed') {
              expect(clock.pending).toBe(0);
              expect(transport.live()).toHaveLength(0);
              expect(signals.subscribers).toBe(0);
              expect(finalCloses).toBeLessThanOrEqual(1);
            }
            // A user's close is never undone by anything but reconnect().
            if (userClosed && step.op !== 'reconnect') {
              expect(transport.sockets.length).toBe(socketsBefore);
              expect(['closing', 'closed']).toContain(socket.state);
            }
            // Never wedged: waiting always has its timer unless offline, connecting always has its timeout.
            if (socket.state === 'closed') hidden = false;
            if (socket.state === 'waiting' && !offline && !hidden) expect(clock.pending).toBeGreaterThan(0);
            if (socket.state === 'connecting') expect(clock.pending).toBeGreaterThan(0);
          }

          socket.close();
          const last = transport.sockets.at(-1);
          if (last && last.readyState === 2) last.serverClose(1000);
          await clock.advance(10_000);
          await Promise.all(receipts);
          // Every message was delivered or dropped, none left hanging.
          expect(settled).toBe(sent);
          expect(clock.pending).toBe(0);
          expect(socket.state).toBe('closed');
          expect(endedBadly).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

/** Something a listener does from inside an event. */
type Reaction = 'close' | 'reconnect' | 'send';

const reentrantStep = fc.constantFrom(
  'accept',
  'drop',
  'errorOnly',
  'serverClose',
  'receive',
  'pong',
  'send',
  'close',
  'reconnect',
  'offline',
  'online',
  'visible',
  'advanceShort',
  'advanceLong',
);

const hook = fc.record({
  event: fc.constantFrom('state', 'open', 'close', 'failure', 'reconnecting', 'drop', 'connecting', 'message', 'error'),
  reaction: fc.constantFrom<Reaction>('close', 'reconnect', 'send'),
  times: fc.integer({ min: 1, max: 2 }),
  /** For a `state` hook: react only on the way into this state (any state when absent). */
  into: fc.option(fc.constantFrom<ReconnectState>('connecting', 'open', 'closing', 'waiting', 'closed'), {
    nil: undefined,
  }),
});

describe('ReconnectingWebSocket with listeners that close, reconnect or send from inside its events', () => {
  it('never throws, never leaks a timer or a socket, and settles every receipt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reentrantStep, { maxLength: 30 }),
        fc.array(hook, { maxLength: 3 }),
        async (steps, hooks) => {
          const clock = new FakeClock();
          const transport = fakeTransport(PingableFakeWebSocket);
          const signals = manualSignals();
          let offline = false;
          const socket = new ReconnectingWebSocket('ws://example.test/', undefined, {
            WebSocket: transport.WebSocket,
            clock,
            random: () => 0.5,
            connectionTimeoutMs: 5000,
            closeTimeoutMs: 8000,
            heartbeat: { intervalMs: 3000, timeoutMs: 1000 },
            outbox: { maxMessages: 3, ttlMs: 30_000 },
            lifecycle: signals,
          });
          let sent = 0;
          let settled = 0;
          const receipts: Promise<void>[] = [];
          const rejected: string[] = [];
          const send = () => {
            const data = `m${++sent}`;
            try {
              receipts.push(
                socket.sendWithReceipt(data).delivered.then(
                  () => void settled++,
                  () => {
                    settled++;
                    rejected.push(data);
                  },
                ),
              );
            } catch {
              settled++;
            }
          };
          // Registered before the hooks, so they see each event before any hook reacts to it.
          const endedBadly: string[] = [];
          socket.on('close', ({ willReconnect }) => {
            // A final close is news only while the loop is closed, with every timer let go of:
            // not after a listener restarted it, nor with a timer left to fire.
            if (!willReconnect && (socket.state !== 'closed' || clock.pending !== 0))
              endedBadly.push(`final close in ${socket.state}, ${clock.pending} timers pending`);
          });
          const dropped: string[] = [];
          socket.on('drop', ({ data }) => dropped.push(String(data)));
          for (const { event, reaction, times, into } of hooks) {
            let left = times;
            socket.on(event as 'state', (change?: { to: ReconnectState }) => {
              if (event === 'state' && into !== undefined && change?.to !== into) return;
              if (left-- <= 0) return;
              if (reaction === 'close') socket.close();
              else if (reaction === 'reconnect') socket.reconnect();
              else send();
            });
          }
          await settle();

          for (const step of steps) {
            const fake = transport.sockets.at(-1);
            switch (step) {
              case 'accept':
                if (fake && fake.readyState === 0) fake.accept();
                break;
              case 'drop':
                if (fake && fake.readyState <= 1) fake.drop();
                break;
              case 'errorOnly':
                // An error with no close after it, as undici sends.
                if (fake && fake.readyState <= 1)
                  for (const listener of fake.listeners('error'))
                    listener({ type: 'error', error: new Error('reset') });
                break;
              case 'serverClose':
                if (fake && fake.readyState >= 1 && fake.readyState <= 2) fake.serverClose(1011);
                break;
              case 'receive':
                if (fake && fake.readyState === 1) fake.receive('data');
                break;
              case 'pong':
                fake?.answerPings();
                break;
              case 'send':
                send();
                break;
              case 'close':
                socket.close();
                break;
              case 'reconnect':
                socket.reconnect();
                break;
              case 'offline':
              case 'online':
              case 'visible':
                if (step !== 'visible') offline = step === 'offline';
                signals.fire(step);
                break;
              case 'advanceShort':
                await clock.advance(300);
                break;
              case 'advanceLong':
                await clock.advance(6000);
                break;
            }
            await settle();
            expect(endedBadly).toEqual([]);
            expect(transport.live().length).toBeLessThanOrEqual(1);
            if (socket.state === 'closed') {
              expect(clock.pending).toBe(0);
              expect(transport.live()).toHaveLength(0);
              expect(signals.subscribers).toBe(0);
            }
            if (socket.state === 'waiting' && !offline) expect(clock.pending).toBeGreaterThan(0);
            if (socket.state === 'connecting') expect(clock.pending).toBeGreaterThan(0);
          }

          // A listener may restart the loop as it ends: close until it stays closed.
          for (let round = 0; round < 3 && socket.state !== 'closed'; round++) {
            socket.close();
            const last = transport.sockets.at(-1);
            if (last && last.readyState === 2) last.serverClose(1000);
            await clock.advance(30_000);
          }
          expect(socket.state).toBe('closed');
          await Promise.all(receipts);
          expect(settled).toBe(sent);
          expect(clock.pending).toBe(0);
          expect(endedBadly).toEqual([]);
          // Each message dropped is reported once, and it is the one whose receipt rejected.
          expect([...dropped].sort()).toEqual([...rejected].sort());
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
