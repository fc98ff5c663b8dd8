/** Generates token ids (`jti`), refresh family ids and guest device ids. */
export type IdGenerator = () => string

/** 128 random bits from the Web Crypto API, as 22 URL-safe base64 characters. */
export const randomId: IdGenerator = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
