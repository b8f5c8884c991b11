/** How the delay between attempts grows. All durations in milliseconds. */
export interface BackoffPolicy {
  /** The ceiling of the first retry's delay. */
  readonly initialDelayMs: number;
  /** No delay ever exceeds this. */
  readonly maxDelayMs: number;
  /** Each consecutive failure multiplies the ceiling by this. */
  readonly factor: number;
  /**
   * `full`: the delay is uniform in [0, ceiling) ("full jitter"), which spreads a herd of clients
   * that lost the same server; `none`: the delay is the ceiling itself.
   */
  readonly jitter: 'full' | 'none';
}

/**
 * The ceiling of the delay before retry number `attempt` (1 for the first retry):
 * `min(maxDelayMs, initialDelayMs × factor^(attempt − 1))`.
 */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const grown = policy.initialDelayMs * policy.factor ** exponent;
  const ceiling = Math.min(policy.maxDelayMs, Number.isFinite(grown) ? grown : policy.maxDelayMs);
  return Math.max(0, Number.isNaN(ceiling) ? policy.maxDelayMs : ceiling);
}

/**
 * The delay before retry number `attempt` (1 for the first retry), exponential with full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform draw in
 * [0, `backoffCeiling(attempt)`). `random` returns a number in [0, 1), as `Math.random` does;
 * out-of-range values are clamped, so a faulty source cannot produce a negative or oversized delay.
 */
export function computeBackoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = backoffCeiling(attempt, policy);
  if (policy.jitter === 'none') return ceiling;
  const draw = random();
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.min(Math.floor(unit * ceiling), Math.max(0, Math.ceil(ceiling) - 1));
}
