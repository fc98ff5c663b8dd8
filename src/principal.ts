/** An authenticated registered user, as a verified token describes them. */
export interface UserPrincipal<TClaims, TRole extends string> {
  readonly isGuest: false
  readonly userId: string
  readonly role: TRole
  /** The custom claims, typed and validated by the claims schema. */
  readonly claims: TClaims
  readonly tokenId: string
  /** Epoch seconds. */
  readonly issuedAt: number
  /** Epoch seconds. */
  readonly expiresAt: number
}

/** An anonymous device holding a guest token. Its `deviceId` is the client's assertion, not a proof. */
export interface GuestPrincipal {
  readonly isGuest: true
  /** `guest:<deviceId>`. */
  readonly userId: string
  readonly role: 'guest'
  readonly deviceId: string
  readonly tokenId: string
  /** Epoch seconds. */
  readonly issuedAt: number
  /** Epoch seconds. */
  readonly expiresAt: number
}

/** Whoever a verified token speaks for: a user or a guest; narrow on `isGuest`. */
export type Principal<TClaims, TRole extends string> = UserPrincipal<TClaims, TRole> | GuestPrincipal

/** An access token and the refresh token that renews it (RFC 6749 §5.1 field meanings). */
export interface TokenPair {
  readonly accessToken: string
  readonly refreshToken: string
  readonly tokenType: 'Bearer'
  /** Lifetime of the access token, in seconds. */
  readonly expiresIn: number
}

/** The kind of a token, as its `typ` header says (RFC 9068 `at+jwt`, and `rt+jwt`). */
export type TokenKind = 'access' | 'refresh'
