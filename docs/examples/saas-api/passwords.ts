import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

// Stored as `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url), so the cost can be raised later and old
// hashes still verify with the parameters they were made with.

const COST = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32
const SALT_LENGTH = 16

const derive = (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // scrypt needs 128 · N · r bytes; give it twice that, and never more than 256 MiB.
    const maxmem = Math.min(256 * 1024 * 1024, 2 * 128 * (options.N ?? 0) * (options.r ?? 0))
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    )
  })

/** Hashes a password with scrypt and a fresh random salt. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, COST)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Tells whether `password` matches `stored`, comparing in constant time; a malformed hash never matches. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  const options = { N: Number(n), r: Number(r), p: Number(p) }
  if (expected.length !== KEY_LENGTH || !Object.values(options).every(Number.isSafeInteger)) return false
  const actual = await derive(password, Buffer.from(salt, 'base64url'), options)
  return timingSafeEqual(actual, expected)
}

/**
 * A hash of a random password, made once: a login for an unknown email is checked against it, so it
 * costs the same scrypt run as a wrong password and the answer time does not tell which emails exist.
 */
export const dummyHash: () => Promise<string> = (() => {
  let made: Promise<string> | undefined
  return () => {
    made ??= hashPassword(randomBytes(18).toString('base64url'))
    return made
  }
})()
