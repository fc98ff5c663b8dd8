/** The `realm` of the challenges when none is configured. */
export const DEFAULT_REALM = 'api'

const realms = new WeakMap<object, string>()

/** Remembers which realm authenticated a request, for the guards that run after it. */
export const rememberRealm = (request: object, realm: string): void => {
  if (realm !== DEFAULT_REALM) realms.set(request, realm)
}

/** The realm that authenticated a request, or the default one. */
export const realmOf = (request: object): string => realms.get(request) ?? DEFAULT_REALM
