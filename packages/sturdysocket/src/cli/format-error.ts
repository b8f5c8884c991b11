import { SturdySocketError } from '@sturdysocket/core';

/**
 * One clear line for an error: its class, its typed reason or code, and its message. The stack
 * is for `--verbose` only. Never prints header values (errors never carry them in messages).
 */
export function formatError(error: unknown, verbose: boolean): string {
  if (verbose && error instanceof Error && error.stack) return `error: ${error.stack}`;
  if (error instanceof SturdySocketError) {
    const detail = error as SturdySocketError & { reason?: string; status?: number; closeCode?: number };
    const parts = [detail.name];
    if (detail.reason) parts.push(`reason=${detail.reason}`);
    if (typeof detail.status === 'number') parts.push(`status=${detail.status}`);
    if (typeof detail.closeCode === 'number') parts.push(`close=${detail.closeCode}`);
    return `error: ${parts.join(' ')}: ${detail.message}`;
  }
  if (error instanceof Error) return `error: ${error.name}: ${error.message}`;
  return `error: ${String(error)}`;
}

/** A usage mistake: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
