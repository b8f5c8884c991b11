// The shared behavioural suite on Node, through the umbrella's `node` entry: `sturdysocket`
// resolves to our own WebSocket (@sturdysocket/node) here, from src/ by the workspace's source
// condition; the built dist/ is what umbrella-exports.test.ts and the other runtimes check.
import { WebSocket as NodeWebSocket } from '@sturdysocket/node';
import { capabilities, createWebSocket, WebSocket } from 'sturdysocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without type declarations.
import { startBehaviourServer } from '../shared/behaviour-server.mjs';
import { type BehaviourTarget, behaviourCases, defineBehaviourSuite, headerCases } from '../shared/behaviour-suite.js';

let server: { port: number; refusedPort: number; close(): Promise<void> };

beforeAll(async () => {
  server = await startBehaviourServer();
});

afterAll(async () => {
  await server.close();
});

const target: BehaviourTarget = {
  baseUrl: () => `ws://127.0.0.1:${server.port}`,
  refusedUrl: () => `ws://127.0.0.1:${server.refusedPort}/`,
  createWebSocket: (url, options) => createWebSocket(url, options),
};

describe('sturdysocket on Node', () => {
  it('is our own WebSocket, with every capability', () => {
    expect(WebSocket).toBe(NodeWebSocket);
    expect(capabilities).toEqual({ headers: true, ping: true, handshakeDetails: true });
    const socket = createWebSocket(`ws://127.0.0.1:${server.refusedPort}/`);
    socket.addEventListener('error', () => {});
    expect(socket).toBeInstanceOf(WebSocket);
    socket.close();
  });

  defineBehaviourSuite(it, target, [...behaviourCases, ...headerCases]);
});
