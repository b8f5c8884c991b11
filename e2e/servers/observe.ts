// Records what a WebSocket-shaped object reports, for assertions on event order and payloads.

export interface Observed {
  /** Event types in dispatch order, e.g. ['open', 'message', 'close']. */
  readonly events: string[];
  readonly messages: unknown[];
  error: (Event & { error?: unknown; message?: string }) | undefined;
  close: (Event & { code: number; reason: string; wasClean: boolean; sentCode?: number | undefined }) | undefined;
  /** Resolves after the close event. */
  readonly closed: Promise<void>;
  /** Resolves after the open event (rejects if close comes first). */
  readonly opened: Promise<void>;
  /** Resolves when `count` messages have arrived. */
  messagesReceived(count: number): Promise<unknown[]>;
}

export function observe(socket: EventTarget): Observed {
  let resolveClosed!: () => void;
  let resolveOpened!: () => void;
  let rejectOpened!: (error: unknown) => void;
  const waiters: Array<{ count: number; resolve: (messages: unknown[]) => void }> = [];
  const observed: Observed = {
    events: [],
    messages: [],
    error: undefined,
    close: undefined,
    closed: new Promise((resolve) => {
      resolveClosed = resolve;
    }),
    opened: new Promise((resolve, reject) => {
      resolveOpened = resolve;
      rejectOpened = reject;
    }),
    messagesReceived(count) {
      if (observed.messages.length >= count) return Promise.resolve(observed.messages);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
  observed.opened.catch(() => {});
  socket.addEventListener('open', () => {
    observed.events.push('open');
    resolveOpened();
  });
  socket.addEventListener('message', (event) => {
    observed.events.push('message');
    observed.messages.push((event as MessageEvent).data);
    for (const waiter of [...waiters]) {
      if (observed.messages.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(observed.messages);
      }
    }
  });
  socket.addEventListener('error', (event) => {
    observed.events.push('error');
    observed.error = event as Observed['error'];
  });
  socket.addEventListener('close', (event) => {
    observed.events.push('close');
    observed.close = event as Observed['close'];
    rejectOpened(new Error(`closed before open: ${(event as unknown as { code: number }).code}`));
    resolveClosed();
  });
  return observed;
}
