export type {
  AuthConfig,
  AuthEnv,
  AuthOptions,
  ClaimsSchema,
  IssuingOptions,
  LoadedClaims,
  VerifyOnlyAuthConfig,
} from './config.js'
export { createAuthEnv } from './config.js'
export type { Auth, VerifyOnlyAuth } from './create-auth.js'
export { createAuth } from './create-auth.js'
export type { GenerateKeyOptions, JsonWebKeySet, Jwk, KeyRing, RingKey } from './crypto/key-ring.js'
export {
  addKey,
  exportPrivateJwk,
  generateKey,
  generateKeyRing,
  hmacKey,
  isKeyRing,
  jwkKey,
  keyRing,
  pemKey,
  retire,
  rotate,
  toJwks,
} from './crypto/key-ring.js'
export type { Algorithm, AsymmetricAlgorithm, BoundKey, HmacAlgorithm, KeySet } from './crypto/keys.js'
export type {
  AlgorithmNotAllowed,
  AuthError,
  AuthErrorTag,
  Expired,
  InvalidAudience,
  InvalidClaims,
  InvalidIssuer,
  InvalidSignature,
  Malformed,
  NotYetValid,
  RefreshReused,
  Revoked,
  StoreUnavailable,
  TokenKindExpectation,
  UnknownKey,
  WrongKind,
} from './errors.js'
export {
  AuthConfigError,
  algorithmNotAllowed,
  expired,
  invalidAudience,
  invalidClaims,
  invalidIssuer,
  invalidSignature,
  isAuthError,
  malformed,
  notYetValid,
  refreshReused,
  revoked,
  storeUnavailable,
  unknownKey,
  wrongKind,
} from './errors.js'
export type { GuestInput } from './guest.js'
export { guest } from './guest.js'
export { isRevoked } from './is-revoked.js'
export type { ClaimsField, DeepReadonly, IssueInput } from './issue.js'
export { issue, issueRefresh } from './issue.js'
export type { IssuePairInput } from './issue-pair.js'
export { issuePair } from './issue-pair.js'
export type { Duration, DurationUnit } from './lib/duration.js'
export type { Clock, FixedClock } from './ports/clock.js'
export { fixedClock, systemClock } from './ports/clock.js'
export type { IdGenerator } from './ports/ids.js'
export { randomId } from './ports/ids.js'
export type {
  FamilyEntry,
  StoredTokenRef,
  TokenEntry,
  TokenState,
  TokenStore,
  UserCutoffEntry,
} from './ports/store.js'
export type { GuestPrincipal, Principal, TokenKind, TokenPair, UserPrincipal } from './principal.js'
export { refresh } from './refresh.js'
export { revoke } from './revoke.js'
export { revokeAll } from './revoke-all.js'
export type { MemoryStoreOptions } from './stores/memory.js'
export { MemoryStoreFullError, memoryStore } from './stores/memory.js'
export type { BearerChallenge, HttpAuthError, ToHttpOptions } from './to-http.js'
export { bearerChallenge, toHttp } from './to-http.js'
export type { VerifyOptions } from './verify.js'
export { verify } from './verify.js'
