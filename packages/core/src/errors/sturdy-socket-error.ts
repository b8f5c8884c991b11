/**
 * The root of every error sturdysocket throws or reports.
 *
 * `instanceof` is answered by a brand rather than by prototype identity, so an error thrown by
 * one copy of the package (say, a dependency's nested install) is still recognised by another.
 */
const BRANDS: unique symbol = /* @__PURE__ */ Symbol.for('sturdysocket.error.brands') as never;

export interface SturdySocketErrorOptions {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

export class SturdySocketError extends Error {
  /** The class name every copy of the package agrees on; subclasses override it. */
  static readonly brand: string = 'SturdySocketError';

  /** A stable, machine-readable code (`ERR_…`). Safe to switch on; never changes meaning. */
  readonly code: string;

  declare readonly [BRANDS]: readonly string[];

  constructor(code: string, message: string, options: SturdySocketErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    const brands: string[] = [];
    for (
      let ctor = new.target as unknown as { brand?: string } | null;
      ctor && typeof ctor.brand === 'string';
      ctor = Object.getPrototypeOf(ctor)
    ) {
      if (!brands.includes(ctor.brand)) brands.push(ctor.brand);
    }
    Object.defineProperty(this, BRANDS, { value: Object.freeze(brands), enumerable: false });
    Object.defineProperty(this, 'name', {
      value: (new.target as { brand?: string }).brand ?? 'SturdySocketError',
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const brands = (value as { [BRANDS]?: unknown })[BRANDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested against.
    return Array.isArray(brands) && brands.includes(this.brand);
  }
}
