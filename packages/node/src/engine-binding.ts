import type { ProtocolError, ProtocolHandler } from '@sturdysocket/core';
import type { InputConsumer } from './socket-input.js';
import type { WebSocket } from './websocket.js';

type Binding = Required<ProtocolHandler> & Required<InputConsumer>;
/**
 * The binding's calls with the WebSocket as first argument. `WebSocket` makes them (they reach its
 * private members) and provides them once, when the first connection opens.
 */
export type BindingCalls = {
  [K in keyof Binding]: (websocket: WebSocket, ...args: Parameters<Binding[K]>) => ReturnType<Binding[K]>;
};
let bindingCalls: BindingCalls | undefined;

/** Gives every binding its calls, made by `make` the first time (by the first connection). */
export function provideBindingCalls(make: () => BindingCalls): void {
  bindingCalls ??= make();
}

/**
 * The engine bound to one WebSocket both ways: the engine's handler, and the consumer of what the
 * socket reads. Its methods live once, on the prototype.
 */
export class EngineBinding implements Binding {
  readonly #websocket: WebSocket;
  constructor(websocket: WebSocket) {
    this.#websocket = websocket;
  }
  write(chunks: readonly Uint8Array[]): void {
    bindingCalls!.write(this.#websocket, chunks);
  }
  onText(text: string): void {
    bindingCalls!.onText(this.#websocket, text);
  }
  onBinary(data: Uint8Array): void {
    bindingCalls!.onBinary(this.#websocket, data);
  }
  onPing(payload: Uint8Array): void {
    bindingCalls!.onPing(this.#websocket, payload);
  }
  onPong(payload: Uint8Array): void {
    bindingCalls!.onPong(this.#websocket, payload);
  }
  onReadPaused(paused: boolean): void {
    bindingCalls!.onReadPaused(this.#websocket, paused);
  }
  onClose(code: number, reason: string): void {
    bindingCalls!.onClose(this.#websocket, code, reason);
  }
  onProtocolError(error: ProtocolError): void {
    bindingCalls!.onProtocolError(this.#websocket, error);
  }
  receive(chunk: Uint8Array): void {
    bindingCalls!.receive(this.#websocket, chunk);
  }
  inputTarget(): Uint8Array | undefined {
    return bindingCalls!.inputTarget(this.#websocket);
  }
  commitInput(bytes: Uint8Array): void {
    bindingCalls!.commitInput(this.#websocket, bytes);
  }
}
