/**
 * HTML's "event handler IDL attributes" (`onopen`, `onmessage`…) on an EventTarget: setting one
 * adds a listener that calls the current handler, at the position where it was first set;
 * setting `null` (or a non-function) removes it.
 */
export class EventHandlerAttributes<This extends EventTarget> {
  private readonly entries = new Map<
    string,
    { handler: (this: This, event: Event) => unknown; listener: (event: Event) => void }
  >();

  constructor(private readonly target: This) {}

  get(type: string): ((this: This, event: Event) => unknown) | null {
    return this.entries.get(type)?.handler ?? null;
  }

  set(type: string, handler: unknown): void {
    const entry = this.entries.get(type);
    if (typeof handler !== 'function') {
      if (entry) {
        // EventTarget's own methods: a subclass's overrides are for listeners added from outside.
        EventTarget.prototype.removeEventListener.call(this.target, type, entry.listener);
        this.entries.delete(type);
      }
      return;
    }
    if (entry) {
      entry.handler = handler as (this: This, event: Event) => unknown;
      return;
    }
    const created = {
      handler: handler as (this: This, event: Event) => unknown,
      listener: (event: Event) => {
        created.handler.call(this.target, event);
      },
    };
    this.entries.set(type, created);
    EventTarget.prototype.addEventListener.call(this.target, type, created.listener);
  }
}
