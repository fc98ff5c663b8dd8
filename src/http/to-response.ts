import type { HttpAnswer } from './answer.js'

/**
 * Renders an {@link HttpAnswer} as a Web `Response` with a JSON body: for Hono, fetch handlers
 * and any runtime with the Fetch API.
 *
 * @example
 * ```ts
 * import { authenticate, toResponse } from '@saas-kit/auth/http'
 * const decision = await authenticate(auth)({ url: request.url, authorization: request.headers.get('authorization') })
 * if (decision._tag === 'Deny') return toResponse(decision.response)
 * ```
 */
export const toResponse = (answer: HttpAnswer): Response =>
  new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { ...answer.headers, 'Content-Type': 'application/json; charset=utf-8' },
  })
