import { ProtocolError } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { type BindingCalls, EngineBinding, provideBindingCalls } from './engine-binding.js';
import type { WebSocket } from './websocket.js';

describe('EngineBinding', () => {
  it('passes every call on with its WebSocket first, to the calls provided first', () => {
    const calls: unknown[][] = [];
    const record =
      (name: string, result?: unknown) =>
      (...args: unknown[]) => {
        calls.push([name, ...args]);
        return result;
      };
    const target = new Uint8Array(4);
    const made = {
      write: record('write'),
      onText: record('onText'),
      onBinary: record('onBinary'),
      onPing: record('onPing'),
      onPong: record('onPong'),
      onReadPaused: record('onReadPaused'),
      onClose: record('onClose'),
      onProtocolError: record('onProtocolError'),
      receive: record('receive'),
      inputTarget: record('inputTarget', target),
      commitInput: record('commitInput'),
    } as BindingCalls;
    provideBindingCalls(() => made);
    // Later providers are not asked: the calls are made once.
    provideBindingCalls(() => {
      throw new Error('made twice');
    });
    const websocket = {} as WebSocket;
    const binding = new EngineBinding(websocket);
    const bytes = Uint8Array.of(1, 2);
    const error = new ProtocolError('invalid-close-payload', 'A close frame carried a 1-byte body', {
      closeCode: 1002,
    });
    binding.write([bytes]);
    binding.onText('hi');
    binding.onBinary(bytes);
    binding.onPing(bytes);
    binding.onPong(bytes);
    binding.onReadPaused(true);
    binding.onClose(1000, 'bye');
    binding.onProtocolError(error);
    binding.receive(bytes);
    expect(binding.inputTarget()).toBe(target);
    binding.commitInput(bytes);
    expect(calls).toEqual([
      ['write', websocket, [bytes]],
      ['onText', websocket, 'hi'],
      ['onBinary', websocket, bytes],
      ['onPing', websocket, bytes],
      ['onPong', websocket, bytes],
      ['onReadPaused', websocket, true],
      ['onClose', websocket, 1000, 'bye'],
      ['onProtocolError', websocket, error],
      ['receive', websocket, bytes],
      ['inputTarget', websocket],
      ['commitInput', websocket, bytes],
    ]);
  });
});
