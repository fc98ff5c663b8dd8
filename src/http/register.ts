import type { Verifier } from './verifier.js'

/**
 * Declare your auth here once, and `requireRole` accepts only its roles while guarded principals
 * carry its claims (and Fastify's `request.principal` is typed):
 *
 * @example
 * ```ts
 * declare module '@saas-kit/auth/http' {
 *   interface Register {
 *     auth: typeof auth
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the user's module augmentation
export interface Register {}

/** The auth declared in {@link Register}, or any verifier when none is. */
export type RegisteredVerifier = Register extends { readonly auth: infer TAuth extends Verifier<unknown, string> }
  ? TAuth
  : Verifier<unknown, string>

/** The claims of the registered auth (`unknown` when none is registered). */
export type RegisteredClaims = RegisteredVerifier extends Verifier<infer TClaims, string> ? TClaims : unknown

/** The roles of the registered auth (`string` when none is registered). */
export type RegisteredRole = RegisteredVerifier extends Verifier<unknown, infer TRole> ? TRole : string
