// Messages between the page harness and its Worker, and what both tell the behaviour suite.
import type { BehaviourQuirks } from '../../shared/behaviour-suite.js';

/** How Chromium's own WebSocket departs from WHATWG, in a page and in a Worker alike. */
export const CHROMIUM_QUIRKS: BehaviourQuirks = { closeCodeTruncated: true, undefinedCloseCodeIsZero: true };

/** Page → Worker: run one behaviour, or report what the Worker's environment offers. */
export type WorkerRequest =
  | { kind: 'case'; name: string; baseUrl: string; refusedUrl: string }
  | { kind: 'environment' };

/** Worker → page. */
export type WorkerReply = { ok: true; environment?: WorkerEnvironment } | { ok: false; message: string };

/** What the Worker found in its global scope, through the umbrella. */
export interface WorkerEnvironment {
  hasWindow: boolean;
  hasDocument: boolean;
  capabilities: { headers: boolean; ping: boolean; handshakeDetails: boolean };
  online: boolean | undefined;
  headersError: string;
}
