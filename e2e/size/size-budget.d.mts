// Types of size-budget.mjs, for the TypeScript tests that import it.

export declare const BROWSER_BUDGET_BYTES: number;
export declare const MEASURED_PACKAGES: readonly string[];
export declare const NODE_MARKERS: readonly RegExp[];

export interface BundleMeasurement {
  /** The package bundled. */
  name: string;
  /** Its installed version. */
  version: string;
  /** Minified bundle size, in bytes. */
  minifiedBytes: number;
  /** Minified and gzipped (level 9) size, in bytes. */
  gzipBytes: number;
  /** The minified bundle. */
  code: string;
  /** The files esbuild bundled (metafile inputs, relative to the working directory). */
  inputs: string[];
}

export declare function measureBrowserBundle(packageName: string): Promise<BundleMeasurement>;
export declare function findNodeMarkers(code: string): string[];
