/**
 * The root of every error sturdysocket throws or reports.
 *
 * `instanceof` is answered by a brand rather than by prototype identity, so an error thrown by
 * one copy of the package (say, a dependency's nested install) is still recognised by another:
 * each error holds, under a `Symbol.for` key every copy shares, the class that made it, and a
 * class claims an error when its `brand` is found among that class and its ancestors.
 *
 * The classes `declare` their fields and assign them in the constructor: a class field would be
 * emitted twice, once as a definition and again as the assignment.
 */
const MADE_BY: unique symbol = /* @__PURE__ */ Symbol.for('sturdysocket.error.class') as never;

export interface SturdySocketErrorOptions {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/** A class in the hierarchy, as `instanceof` reads it: its brand, if it has one. */
interface Branded {
  readonly brand?: string;
}

export class SturdySocketError extends Error {
  /** The class name every copy of the package agrees on; subclasses override it. */
  static readonly brand: string = 'SturdySocketError';

  /** A stable, machine-readable code (`ERR_…`). Safe to switch on; never changes meaning. */
  declare readonly code: string;

  declare readonly [MADE_BY]: Branded;

  constructor(code: string, message: string, options?: SturdySocketErrorOptions) {
    // `Error` itself sets `cause` only when `options` has one (ES2022 InstallErrorCause).
    super(message, options);
    this.code = code;
    // Not enumerable, like `Error.prototype.name` and `message`.
    Object.defineProperties(this, {
      name: { value: new.target.brand, configurable: true, writable: true },
      [MADE_BY]: { value: new.target },
    });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    for (
      let made = (value as { [MADE_BY]?: Branded } | null | undefined)?.[MADE_BY];
      made;
      made = Object.getPrototypeOf(made)
    ) {
      // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested against.
      if (made.brand === this.brand) return true;
    }
    return false;
  }
}
