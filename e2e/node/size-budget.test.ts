// The umbrella's browser bundle stays under its size budget and pulls in nothing from Node.
// Bundles the BUILT packages (dist/) as an application's bundler would: build them first.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_BUDGET_BYTES,
  type BundleMeasurement,
  findNodeMarkers,
  measureBrowserBundle,
} from '../size/size-budget.mjs';

describe('the browser bundle of sturdysocket', () => {
  let measurement: BundleMeasurement;
  beforeAll(async () => {
    measurement = await measureBrowserBundle('sturdysocket');
  });

  it('bundles for the browser from the built browser entry', () => {
    expect(measurement.inputs).toContain('packages/sturdysocket/dist/runtime/browser.js');
    expect(measurement.inputs).toContain('packages/browser/dist/index.js');
  });

  it(`stays under ${BROWSER_BUDGET_BYTES} bytes min+gzip`, () => {
    expect(measurement.gzipBytes).toBeGreaterThan(0);
    expect(measurement.gzipBytes).toBeLessThanOrEqual(BROWSER_BUDGET_BYTES);
  });

  it('contains no node: import, no Node built-in and no polyfill', () => {
    expect(findNodeMarkers(measurement.code)).toEqual([]);
    const fromNode = measurement.inputs.filter((input) =>
      /packages\/node\/|node_modules\/(ws|buffer|events|process)\//.test(input),
    );
    expect(fromNode).toEqual([]);
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
