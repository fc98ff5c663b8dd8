// Generated from docs/guests.md by `npm run docs:samples`: edit the guide, not this file.
// `npm run typecheck` type-checks it; test/package/docs-samples.test.ts runs the guide against the build.

// docs/guests.md:12
import assert from 'node:assert/strict'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type AuthError, createAuth, type TokenPair } from '../../../src/index.js'

const auth = createAuth({ secret: process.env.JWT_SECRET!, guestTtl: '7d' })

const issued = await auth.guest()() // no device id: the library generates one
assert.ok(E.isRight(issued))
const guestToken = issued.right

const visitor = await auth.verify(guestToken)()
assert.ok(E.isRight(visitor) && visitor.right.isGuest)
assert.equal(visitor.right.role, 'guest')
assert.equal(visitor.right.userId, `guest:${visitor.right.deviceId}`)

// docs/guests.md:62
const kiosk = await auth.guest({ deviceId: 'kiosk-17', ttl: '1h' })()
assert.ok(E.isRight(kiosk))
const kioskVisitor = await auth.verify(kiosk.right)()
assert.ok(E.isRight(kioskVisitor) && kioskVisitor.right.isGuest)
assert.equal(kioskVisitor.right.deviceId, 'kiosk-17') // as the client claimed it: not a proof

// docs/guests.md:77
const noRefresh = await auth.refresh(guestToken)()
assert.ok(E.isLeft(noRefresh) && noRefresh.left._tag === 'WrongKind')

// docs/guests.md:93
interface NotAGuest {
  readonly _tag: 'NotAGuest'
}

// Your data layer: moves the guest's records to the user. Here it only remembers the move.
const moved = new Map<string, string>()
const adoptGuestData = (deviceId: string, userId: string): TE.TaskEither<never, void> =>
  TE.fromIO(() => {
    moved.set(deviceId, userId)
  })

const upgrade = (token: string, userId: string): TE.TaskEither<AuthError | NotAGuest, TokenPair> =>
  pipe(
    auth.verify(token),
    TE.flatMap((principal) =>
      principal.isGuest ? TE.right(principal.deviceId) : TE.left<NotAGuest>({ _tag: 'NotAGuest' }),
    ),
    TE.tap((deviceId) => adoptGuestData(deviceId, userId)),
    TE.flatMap(() => auth.issuePair({ userId })),
    TE.tap(() => auth.revoke(token)),
  )

assert.ok(E.isRight(visitor) && visitor.right.isGuest)
const signedUp = await upgrade(guestToken, 'u_1')()
assert.ok(E.isRight(signedUp))
assert.equal(moved.get(visitor.right.deviceId), 'u_1')

const formerGuest = await auth.verify(guestToken)()
assert.ok(E.isLeft(formerGuest) && formerGuest.left._tag === 'Revoked')

// docs/guests.md:137
const impostor = await auth.issue({ userId: `guest:${visitor.right.deviceId}` })()
assert.ok(E.isLeft(impostor) && impostor.left._tag === 'InvalidClaims')
