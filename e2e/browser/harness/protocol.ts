// Messages between the page harness and its Worker.

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
