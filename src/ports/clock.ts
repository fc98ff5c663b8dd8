/** The source of the current time: epoch milliseconds. Inject a fixed one in tests. */
export interface Clock {
  readonly now: () => number
}

/** The system clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() }

/**
 * A clock that stands still at `at` (epoch milliseconds) until moved: for tests and simulations.
 *
 * @example
 * ```ts
 * const clock = fixedClock(1_700_000_000_000)
 * clock.advance(1_000)
 * assert.equal(clock.now(), 1_700_000_001_000)
 * ```
 */
export const fixedClock = (at: number): Clock & { set(at: number): void; advance(ms: number): void } => {
  let current = at
  return {
    now: () => current,
    set: (next) => {
      current = next
    },
    advance: (ms) => {
      current += ms
    },
  }
}
