/** What a `redirect` event is made with. */
export interface RedirectEventInit {
  /** The URL that answered with the redirect. */
  readonly from: string;
  /** The URL the next hop will connect to. */
  readonly to: string;
  /** The redirect's HTTP status (301, 302, 303, 307 or 308). */
  readonly status: number;
  /** The next hop's extra request headers, already without credentials where they must not follow. */
  readonly headers: Array<[string, string]>;
}

/**
 * Not in WHATWG (browsers never follow a WebSocket redirect): fired on the `WebSocket` before it
 * follows each redirect (`followRedirects: true`). A listener sees where the hop goes and may
 * amend it: change `headers` in place (e.g. add a credential meant for the new origin — the ones
 * sent before were dropped if the origin changed), or call `preventDefault()` to refuse the hop,
 * which fails the handshake with reason `redirect`. The handshake's own headers are still set
 * by the client and cannot be added here.
 */
export class RedirectEvent extends Event {
  readonly from: string;
  readonly to: string;
  readonly status: number;
  /** The next hop's extra request headers; edit in place to amend the hop. */
  readonly headers: Array<[string, string]>;

  constructor(type: string, init: RedirectEventInit) {
    super(type, { cancelable: true });
    this.from = init.from;
    this.to = init.to;
    this.status = init.status;
    this.headers = init.headers;
  }
}
