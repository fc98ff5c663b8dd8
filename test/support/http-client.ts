import { request as httpRequest } from 'node:http'
import type { AddressInfo, Server } from 'node:net'

/** What a test reads of an HTTP answer. */
export interface HttpReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** The parsed JSON body, or `undefined` when the body is not JSON. */
  readonly json: unknown
}

/**
 * Sends a GET to a local server through `node:http`: the path goes out byte for byte (no URL
 * normalisation) and an array value sends one header line per element.
 */
export const rawGet = (
  base: string,
  path: string,
  headers: Readonly<Record<string, string | readonly string[]>> = {},
): Promise<HttpReply> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base)
    const req = httpRequest({ host: hostname, port, path, method: 'GET', timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const flat: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
        }
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: flat, text, json: parseJson(text) })
      })
      res.on('error', reject)
    })
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value as string | string[])
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)))
    req.on('error', reject)
    req.end()
  })

/** Sends a GET with the global `fetch` (which normalises the URL and merges repeated headers). */
export const fetchGet = async (
  base: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<HttpReply> => {
  const response = await fetch(new URL(path, base), { headers, signal: AbortSignal.timeout(5_000) })
  const text = await response.text()
  const flat: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    flat[name] = value
  })
  return { status: response.status, headers: flat, text, json: parseJson(text) }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A server listening on 127.0.0.1, with its base URL and a way to stop it. */
export interface LocalServer {
  readonly url: string
  readonly close: () => Promise<void>
}

/** Starts a `node:http`-compatible server on 127.0.0.1 and an ephemeral port. */
export const listenLocal = (server: Server): Promise<LocalServer> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}`, close: () => closeServer(server) })
    })
  })

/** Closes a server, dropping idle keep-alive connections so that it stops at once. */
export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)))
    ;(server as Server & { closeAllConnections?: () => void }).closeAllConnections?.()
  })
