import * as v from 'valibot'

// The shape of every token this API issues: declared once, typed everywhere after.

/** The plans a user can be on. */
export const PLANS = ['free', 'pro', 'enterprise'] as const

/** A plan name. */
export type Plan = (typeof PLANS)[number]

/** The roles a registered user can hold (guests get the library's own `'guest'`). */
export const ROLES = ['user', 'premium', 'admin', 'moderator', 'telegram_user'] as const

/** A role name. */
export type Role = (typeof ROLES)[number]

/** What each plan allows; signed into the tokens, so a handler reads it without a query. */
export const PLAN_LIMITS: { readonly [plan in Plan]: Limits } = {
  free: { daily_limit: 5, features: ['generate'] },
  pro: { daily_limit: 100, features: ['generate', 'export'] },
  enterprise: { daily_limit: 10_000, features: ['generate', 'export', 'audit-log'] },
}

/** An email address as this API stores it: trimmed and lower-cased. */
export const Email = v.pipe(
  v.string('email must be a string'),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, 'email must be at most 254 characters'),
  v.email('email must be an email address'),
)

const Limits = v.object({
  daily_limit: v.pipe(v.number(), v.integer(), v.minValue(0)),
  features: v.array(v.string()),
})

/** The plan limits signed into a token. */
export type Limits = v.InferOutput<typeof Limits>

/**
 * The custom claims of a user token. Password accounts carry their `email`; Telegram accounts have
 * none and carry `source: 'telegram'` instead.
 */
export const Claims = v.pipe(
  v.object({
    email: v.optional(Email),
    plan: v.picklist(PLANS),
    limits: Limits,
    source: v.optional(v.literal('telegram')),
  }),
  v.check(
    (claims) => (claims.source === 'telegram') === (claims.email === undefined),
    'a password account has an email and no source; a Telegram account the reverse',
  ),
)

/** The claims of a user token, as handlers read them. */
export type Claims = v.InferOutput<typeof Claims>
