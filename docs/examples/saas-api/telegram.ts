import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import * as v from 'valibot'

// The Telegram Login Widget hands the browser the user's fields and a `hash`; the browser posts
// them here. Telegram's rule: hash = hex(HMAC-SHA256(key = SHA256(bot token), data-check-string)),
// where the data-check-string is every received field but `hash`, as `key=value`, sorted by key,
// joined by "\n".

// A positive whole number, sent as a number or as its decimal digits (the widget's query string).
const Integer = (name: string) =>
  v.union(
    [v.pipe(v.number(), v.safeInteger(), v.minValue(1)), v.pipe(v.string(), v.regex(/^[1-9]\d{0,15}$/))],
    `${name} must be a positive whole number`,
  )
const Text = (name: string) => v.optional(v.string(`${name} must be a string`))

/** The body of `POST /auth/telegram`: the widget's fields, as Telegram sent them. */
export const TelegramLogin = v.objectWithRest(
  {
    id: Integer('id'),
    auth_date: Integer('auth_date'),
    hash: v.pipe(v.string('hash must be a string'), v.regex(/^[0-9a-f]{64}$/i, 'hash must be 64 hex digits')),
    first_name: Text('first_name'),
    last_name: Text('last_name'),
    username: Text('username'),
    photo_url: Text('photo_url'),
  },
  v.union([v.string(), v.number()], 'every field must be a string or a number'),
  'the body must be a JSON object',
)

/** The widget's fields. */
export type TelegramLogin = v.InferOutput<typeof TelegramLogin>

/** A login the widget data proves. */
export interface TelegramUser {
  readonly telegramId: string
  readonly name: string | null
}

/** Why widget data was refused. */
export type TelegramRefusal = 'bad-hash' | 'stale' | 'from-the-future'

/** How old a widget login may be, in seconds, and how far ahead of our clock its `auth_date` may lie. */
export interface TelegramFreshness {
  readonly maxAge: number
  readonly skew: number
}

/** The data-check-string of widget data: every field but `hash`, `key=value`, sorted by key, joined by `\n`. */
export const dataCheckString = (fields: Readonly<Record<string, string | number>>): string =>
  Object.keys(fields)
    .filter((key) => key !== 'hash')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n')

/** Signs widget fields as Telegram does (tests use it to play the widget). */
export const signTelegramLogin = (fields: Readonly<Record<string, string | number>>, botToken: string): string => {
  const secret = createHash('sha256').update(botToken).digest()
  return createHmac('sha256', secret).update(dataCheckString(fields)).digest('hex')
}

/**
 * Checks widget data against the bot token: the hash in constant time, then `auth_date` against
 * `now` (epoch seconds). Answers the user, or why the data is refused.
 */
export const verifyTelegramLogin = (
  login: TelegramLogin,
  botToken: string,
  now: number,
  freshness: TelegramFreshness,
): { readonly ok: true; readonly user: TelegramUser } | { readonly ok: false; readonly reason: TelegramRefusal } => {
  const expected = Buffer.from(signTelegramLogin(login, botToken), 'hex')
  const received = Buffer.from(login.hash, 'hex')
  // Both are 32 bytes: the schema allows only 64 hex digits.
  if (!timingSafeEqual(expected, received)) return { ok: false, reason: 'bad-hash' }
  const authDate = Number(login.auth_date)
  if (authDate > now + freshness.skew) return { ok: false, reason: 'from-the-future' }
  if (now - authDate > freshness.maxAge) return { ok: false, reason: 'stale' }
  const name = [login.first_name, login.last_name].filter((part) => part !== undefined && part !== '').join(' ')
  return {
    ok: true,
    user: { telegramId: String(login.id), name: name === '' ? (login.username ?? null) : name },
  }
}
