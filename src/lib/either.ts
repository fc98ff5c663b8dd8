import * as E from 'fp-ts/lib/Either.js'
import type { AuthError } from '../errors.js'
import { storeUnavailable } from '../errors.js'
import type { Checked } from './check.js'

/**
 * Runs a step and lifts its {@link Checked} result into `Either`. Anything it throws becomes a
 * `Left` too: no exception reaches a caller of a verb.
 */
export const run = async <T>(step: () => Promise<Checked<T>>): Promise<E.Either<AuthError, T>> => {
  try {
    const result = await step()
    return result.ok ? E.right(result.value) : E.left(result.error)
  } catch (cause) {
    return E.left(storeUnavailable(cause))
  }
}
