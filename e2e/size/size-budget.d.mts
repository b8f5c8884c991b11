// Types of size-budget.mjs, for the TypeScript tests that import it.

export declare const BROWSER_GOAL_BYTES: number;
export declare const BROWSER_BUDGET_BYTES: number;
export declare const ENTRY_IMPORTS: Readonly<Record<string, string>>;
export declare const MEASURED_PACKAGES: readonly string[];
export declare const NODE_MARKERS: readonly RegExp[];

export interface BundleMeasurement {
  /** The package bundled. */
  name: string;
  /** Its installed version. */
  version: string;
  /** `entry`: what an application imports (`import { connect }` for sturdysocket); `all`: the whole surface. */
  shape: 'entry' | 'all';
  /** Minified bundle size, in bytes. */
  minifiedBytes: number;
  /** Minified and gzipped (level 9) size, in bytes. */
  gzipBytes: number;
  /** The minified bundle. */
  code: string;
  /** The files esbuild bundled (metafile inputs, relative to the working directory). */
  inputs: string[];
  /** The minified bytes each input contributes to the bundle; inputs tree-shaken away entirely are absent. */
  bytesByInput: Record<string, number>;
}

export declare function measureBrowserBundle(packageName: string, shape?: 'entry' | 'all'): Promise<BundleMeasurement>;
export declare function findNodeMarkers(code: string): string[];
