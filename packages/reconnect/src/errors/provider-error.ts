import { SturdySocketError } from '@sturdysocket/core';

/** Which injected function failed while an attempt was being prepared. */
export type ProviderName = 'url' | 'protocols' | 'transportOptions' | 'factory';

/** A provider (`url`, `protocols`, `transportOptions`) or the socket factory threw or rejected. */
export class ProviderError extends SturdySocketError {
  static override readonly brand: string = 'ProviderError';

  /** Which provider failed. */
  declare readonly provider: ProviderName;

  constructor(provider: ProviderName, cause: unknown) {
    super('ERR_RECONNECT_PROVIDER', `The ${provider} provider failed: ${describe(cause)}`, { cause });
    this.provider = provider;
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
