import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as v from 'valibot'
import { expect } from 'vitest'
import { type AuthError, type AuthErrorTag, createAuth, fixedClock } from '../../src/index.js'

/** A 32-byte HS256 secret for tests. */
export const SECRET = 'test-secret-that-is-32-bytes-long!!'

/** 2023-11-14T22:13:20Z, on a whole second. */
export const T0 = 1_700_000_000_000

/** The claims schema of the seed's SaaS plans. */
export const PlanClaims = v.object({
  plan: v.picklist(['free', 'pro', 'enterprise']),
  limits: v.object({ daily_limit: v.number(), features: v.array(v.string()) }),
})

export const ROLES = ['user', 'premium', 'admin', 'moderator'] as const

export const PRO = { plan: 'pro', limits: { daily_limit: 100, features: ['export'] } } as const

/** A typed auth over a fixed clock and a fresh memory store. */
export const planAuth = (overrides: { leeway?: number; issuer?: string; audience?: string | string[] } = {}) => {
  const clock = fixedClock(T0)
  const auth = createAuth({ secret: SECRET, claims: PlanClaims, roles: ROLES, clock, ...overrides })
  return { auth, clock }
}

/** Runs a task and answers its Right value, failing the test on a Left. */
export const right = async <A>(task: TaskEither<AuthError, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`expected Right, got Left ${result.left._tag}: ${result.left.message}`)
  return result.right
}

/** Runs a task and asserts it fails with the given tag; answers the error. */
export const expectLeft = async <A>(task: TaskEither<AuthError, A>, tag: AuthErrorTag): Promise<AuthError> => {
  const result = await task()
  if (E.isRight(result)) throw new Error(`expected Left ${tag}, got Right`)
  expect(result.left._tag).toBe(tag)
  return result.left
}

/** Decodes a JWT segment without verifying it: for assertions on the wire format. */
export const decodeSegment = (token: string, index: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString('utf8'))
