/** The source of the current time: epoch milliseconds. Inject a fixed one in tests. */
export interface Clock {
  /** The current time, epoch milliseconds. */
  readonly now: () => number
}

/** A {@link Clock} that only moves when told to. */
export interface FixedClock extends Clock {
  /** Moves the clock to `at`, epoch milliseconds. */
  readonly set: (at: number) => void
  /** Moves the clock forward by `ms` milliseconds (backward when negative). */
  readonly advance: (ms: number) => void
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
export const fixedClock = (at: number): FixedClock => {
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
