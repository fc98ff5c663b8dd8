// Generated from docs/refresh-rotation.md by `npm run docs:samples`: edit the guide, not this file.
// `npm run typecheck` type-checks it; test/package/docs-samples.test.ts runs the guide against the build.

// docs/refresh-rotation.md:27
import assert from 'node:assert/strict'
import * as E from 'fp-ts/lib/Either.js'
import { createAuth, memoryStore, type TokenStore } from '../../../src/index.js'

const auth = createAuth({ secret: process.env.JWT_SECRET!, accessTtl: '15m', refreshTtl: '30d' })

const login = await auth.issuePair({ userId: 'u_1' })()
assert.ok(E.isRight(login))
const first = login.right

const rotated = await auth.refresh(first.refreshToken)()
assert.ok(E.isRight(rotated))
const second = rotated.right // same family, new tokens

// docs/refresh-rotation.md:79
const replay = await auth.refresh(first.refreshToken)()
assert.ok(E.isLeft(replay) && replay.left._tag === 'RefreshReused')

const newest = await auth.refresh(second.refreshToken)()
assert.ok(E.isLeft(newest) && newest.left._tag === 'Revoked')
const newestAccess = await auth.verify(second.accessToken)()
assert.ok(E.isLeft(newestAccess) && newestAccess.left._tag === 'Revoked')

// docs/refresh-rotation.md:119
// A store whose `consume` fails until it is repaired, to watch the old token survive the outage.
let storeDown = true
const memory = memoryStore()
const flaky: TokenStore = {
  ...memory,
  consume: (entry, now) => (storeDown ? Promise.reject(new Error('connection reset')) : memory.consume(entry, now)),
}
const fragile = createAuth({ secret: process.env.JWT_SECRET!, store: flaky })

const session = await fragile.issuePair({ userId: 'u_2' })()
assert.ok(E.isRight(session))
const duringOutage = await fragile.refresh(session.right.refreshToken)()
assert.ok(E.isLeft(duringOutage) && duringOutage.left._tag === 'StoreUnavailable')

storeDown = false
const afterOutage = await fragile.refresh(session.right.refreshToken)() // still unspent: it works
assert.ok(E.isRight(afterOutage))

// docs/refresh-rotation.md:154
const tabs = await auth.issuePair({ userId: 'u_3' })()
assert.ok(E.isRight(tabs))

const [tab1, tab2] = await Promise.all([
  auth.refresh(tabs.right.refreshToken)(),
  auth.refresh(tabs.right.refreshToken)(),
])
assert.equal([tab1, tab2].filter(E.isRight).length, 1) // exactly one winner…
const winner = E.isRight(tab1) ? tab1.right : E.isRight(tab2) ? tab2.right : undefined
assert.ok(winner !== undefined)
const winnerAccess = await auth.verify(winner.accessToken)()
assert.ok(E.isLeft(winnerAccess) && winnerAccess.left._tag === 'Revoked') // …whose pair is dead too
