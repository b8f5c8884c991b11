// The umbrella's browser bundle stays under its size budget and pulls in nothing from Node.
// Bundles the BUILT packages (dist/) as an application's bundler would: build them first.
// The budget holds what a user of `connect()` ships (`import { connect } from 'sturdysocket'`);
// the whole public surface is checked for Node built-ins too.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_BUDGET_BYTES,
  BROWSER_GOAL_BYTES,
  type BundleMeasurement,
  findNodeMarkers,
  measureBrowserBundle,
} from '../size/size-budget.mjs';

/** Resolve from e2e/, whose node_modules holds the workspace's packages. */
const resolveDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('the browser bundle of sturdysocket', () => {
  let entry: BundleMeasurement;
  let all: BundleMeasurement;
  beforeAll(async () => {
    [entry, all] = await Promise.all([
      measureBrowserBundle('sturdysocket', 'entry'),
      measureBrowserBundle('sturdysocket', 'all'),
    ]);
  });

  it('bundles for the browser from the built browser entry', () => {
    for (const measurement of [entry, all]) {
      expect(measurement.inputs).toContain('packages/sturdysocket/dist/runtime/browser.js');
      expect(measurement.inputs).toContain('packages/browser/dist/index.js');
    }
  });

  it('ships no auth code to an application that does not use auth', () => {
    const fromAuth = (measurement: BundleMeasurement) =>
      Object.keys(measurement.bytesByInput).filter((input) => input.includes('packages/auth/'));
    expect(fromAuth(entry)).toEqual([]);
    // The check can see auth code where it is shipped: the whole surface exports tokenAuth.
    expect(fromAuth(all)).toEqual(['packages/auth/dist/index.js']);
  });

  // The reconnect package is one dist file, so a feature's absence shows in what the code says:
  // its error code and messages, which minifying leaves as they are.
  it.each([
    ['the heartbeat', ['ERR_RECONNECT_HEARTBEAT_TIMEOUT', "heartbeat.mode 'application' needs heartbeat.message"]],
    [
      'the for-await loop (messages)',
      ['ERR_RECONNECT_ITERATOR_OVERFLOW', 'maxBuffered: a positive integer or Infinity'],
    ],
    ['the open gate (beforeFlush)', ['ERR_RECONNECT_OPEN_GATE', 'beforeFlush must be a function']],
    // A browser's WebSocket shows no handshake, so connect() there reads none.
    ['the handshake reader', ['Unexpected server response', 'retry-after']],
    // connect() builds on ReconnectLoop; the WHATWG event half is ReconnectingWebSocketCore's.
    ['the WHATWG event half', ['lastEventId', 'onmessage']],
  ])('ships no code of %s to an application that does not use it', (_feature, markers) => {
    for (const marker of markers) {
      expect(entry.code).not.toContain(marker);
      // The check can see it where it is shipped: the whole surface exports it.
      expect(all.code).toContain(marker);
    }
  });

  it(`stays under ${BROWSER_BUDGET_BYTES} bytes min+gzip for import { connect }`, () => {
    expect(entry.gzipBytes).toBeGreaterThan(0);
    expect(entry.gzipBytes).toBeLessThanOrEqual(BROWSER_BUDGET_BYTES);
  });

  it('has a budget that is the 4 KiB goal, or a ratchet in steps of 256 bytes above it', () => {
    expect(BROWSER_GOAL_BYTES).toBe(4096);
    expect(BROWSER_BUDGET_BYTES % 256).toBe(0);
    expect(BROWSER_BUDGET_BYTES).toBeGreaterThanOrEqual(BROWSER_GOAL_BYTES);
    // A ratchet, not a ceiling: once the bundle shrinks by 256 bytes, lower the budget.
    expect(BROWSER_BUDGET_BYTES === BROWSER_GOAL_BYTES || BROWSER_BUDGET_BYTES - entry.gzipBytes < 256).toBe(true);
  });

  it('is no smaller for the whole public surface than for connect() alone', () => {
    expect(all.gzipBytes).toBeGreaterThanOrEqual(entry.gzipBytes);
  });

  it('contains no node: import, no Node built-in and no polyfill', () => {
    for (const measurement of [entry, all]) {
      expect(findNodeMarkers(measurement.code)).toEqual([]);
      const fromNode = measurement.inputs.filter((input) =>
        /packages\/node\/|node_modules\/(ws|buffer|events|process)\//.test(input),
      );
      expect(fromNode).toEqual([]);
    }
  });
});

describe('the built core, in an application that uses one constant of it', () => {
  // esbuild keeps a top-level statement it cannot prove free of side effects even when nothing
  // uses it, and `64 * 1024` or `2 ** 32` is not proven free: core's constants are literals, and
  // its calls at the top level are marked `/* @__PURE__ */`, so that none of them ships unused.
  it('ships that constant alone', async () => {
    const result = await build({
      stdin: { contents: "export { WEBSOCKET_VERSION } from '@sturdysocket/core';", resolveDir, loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const declared = [...code.matchAll(/^(?:var|let|const|function|class) (\w+)/gm)].map((match) => match[1]);
    expect(declared).toEqual(['WEBSOCKET_VERSION']);
  });
});

describe('the Node marker check', () => {
  it('finds what it looks for, so a clean result means something', () => {
    expect(findNodeMarkers('import{connect}from"node:net";')).not.toEqual([]);
    expect(findNodeMarkers('const b=require("buffer");')).not.toEqual([]);
    expect(findNodeMarkers('if(process.env.NODE_ENV)x()')).not.toEqual([]);
    expect(findNodeMarkers('new WebSocket(url)')).toEqual([]);
  });
});
