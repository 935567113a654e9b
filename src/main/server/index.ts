// `gan-studio serve`: the built UI over HTTP and the API over a WebSocket, for a browser on this machine
// (127.0.0.1 unless told otherwise) or another one. Every request needs the token: the printed URL
// carries it once, the page then keeps it in an HttpOnly, SameSite=Strict cookie.
import { timingSafeEqual } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ApiEvent, GanApi } from '../../shared/api'
import { ApiCallError, dispatch } from '../api/dispatch'
import type { Transfers } from '../transfers'
import { localAddress } from './addresses'
import { decodeUrlPath, readStatic } from './static-files'
import { serveTransfer } from './transfer-routes'

export interface ServerOptions {
  api: GanApi & { onEvent(listener: (event: ApiEvent) => void): () => void }
  host: string
  port: number
  token: string
  rendererDir: string
  /** Downloads to and uploads from the browser's machine (the same object the API's service uses). */
  transfers?: Transfers
}

export interface RunningServer {
  /** The address to open on this machine, token included (loopback when listening on every interface). */
  url: string
  port: number
  close(): Promise<void>
}

const COOKIE = 'gan_studio_token'
/** Past this many bytes queued to a slow client, its run metrics are dropped (it refetches the gap). */
const MAX_BUFFERED = 4 * 1024 * 1024

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store'
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieToken(request: IncomingMessage): string | null {
  const header = request.headers.cookie ?? ''
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === COOKIE) return value.join('=')
  }
  return null
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(text)
}

/** An upgrade request is answered on the raw socket: a plain HTTP response, then the socket closes. */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
  )
}

/** The request's URL, or null when it is not one (`GET //`): a malformed request, answered 400. */
function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://localhost')
  } catch {
    return null
  }
}

/**
 * Whether a socket request comes from a page of this server. Browsers always send Origin on WebSockets;
 * none at all is a program (the tests, a script), which the token alone guards. `null` (a sandboxed frame,
 * a file: page) or anything unparseable is another origin.
 */
function fromOwnPage(request: IncomingMessage): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

/** A bug must not take the server (and its training runs) down: it is logged and the request fails. */
function logFailure(what: string, error: unknown): void {
  console.error(`gan-studio serve: ${what} failed:`, error)
}

/** How a closed tab or a dropped network ends a connection: normal, nothing to report. */
const GONE_AWAY = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'])

/**
 * A page that went away (a closed tab resets its socket) is not an error; a client breaking the protocol
 * (a bad frame) is its own fault, not a bug: one line.
 */
function logBrokenSocket(error: NodeJS.ErrnoException): void {
  if (error.code && GONE_AWAY.has(error.code)) return
  console.error(`gan-studio serve: a client's connection broke: ${error.message}`)
}

const INTERNAL_ERROR = 'GAN Studio: internal error while answering this request; the terminal running `gan-studio serve` shows it.'
const NEEDS_TOKEN = 'GAN Studio: this page needs its token. Open the address `gan-studio serve` printed (it ends in ?token=...).'

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const servePage = async (request: IncomingMessage, response: ServerResponse) => {
    const url = requestUrl(request)
    if (!url) return refuse(response, 400, 'bad request: the address is not a URL')
    const queryToken = url.searchParams.get('token')
    const authorized = tokenMatches(queryToken, options.token) || tokenMatches(cookieToken(request), options.token)
    if (!authorized) return refuse(response, 401, NEEDS_TOKEN)
    // Uploads change the server: only from its own pages (the cookie is SameSite=Strict as well).
    if (request.method === 'PUT' && !fromOwnPage(request)) return refuse(response, 403, 'forbidden: uploads only come from pages of this server')
    if (await serveTransfer(options.transfers, request, response, url, (status, text) => refuse(response, status, text), SECURITY_HEADERS)) return
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'method not allowed')
    const path = decodeUrlPath(url.pathname)
    if (path === null) return refuse(response, 400, 'bad request: the path has a broken %-escape')
    const file = await readStatic(options.rendererDir, path)
    if (!file) return refuse(response, 404, 'not found')
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': file.type }
    if (queryToken) headers['Set-Cookie'] = `${COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`
    response.writeHead(200, headers)
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }
  const server = createServer((request, response) => {
    servePage(request, response).catch((error) => {
      logFailure(`${request.method} request`, error)
      if (response.headersSent) response.destroy()
      else refuse(response, 500, INTERNAL_ERROR)
    })
  })

  const sockets = new WebSocketServer({ noServer: true })
  const openSocket = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(request)
    if (!url) return refuseUpgrade(socket, 400, 'bad request: the address is not a URL')
    // The token first: whoever lacks it learns nothing else about the request.
    const authorized = tokenMatches(cookieToken(request), options.token) || tokenMatches(url.searchParams.get('token'), options.token)
    if (!authorized) return refuseUpgrade(socket, 401, NEEDS_TOKEN)
    if (url.pathname !== '/api') return refuseUpgrade(socket, 404, 'not found: the API socket is /api')
    if (!fromOwnPage(request)) return refuseUpgrade(socket, 403, 'forbidden: the API socket only serves pages of this server')
    sockets.handleUpgrade(request, socket, head, (ws) => serveClient(ws, options.api))
  }
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node leaves an upgraded socket without an error listener: a client reset would be an uncaught error.
    socket.on('error', (error) => logBrokenSocket(error))
    try {
      openSocket(request, socket, head)
    } catch (error) {
      logFailure('socket upgrade', error)
      if (socket.writable) refuseUpgrade(socket, 500, INTERNAL_ERROR)
      else socket.destroy()
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: localAddress(options.host, port, options.token),
    port,
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate()
        sockets.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

function serveClient(ws: WebSocket, api: ServerOptions['api']): void {
  const unsubscribe = api.onEvent((event) => {
    if (ws.readyState !== ws.OPEN) return
    // A slow client loses live metric rows rather than holding memory without bound; it refetches.
    if (ws.bufferedAmount > MAX_BUFFERED && event.type === 'run' && event.event.type === 'metrics') return
    ws.send(JSON.stringify({ event }))
  })
  ws.on('close', unsubscribe)
  // Without a listener, a client's protocol error (a bad frame) would be thrown and end the process.
  ws.on('error', (error) => logBrokenSocket(error))
  ws.on('message', (data) => {
    answer(ws, api, data.toString()).catch((error) => logFailure('API call', error))
  })
}

async function answer(ws: WebSocket, api: ServerOptions['api'], text: string): Promise<void> {
  let request: unknown
  try {
    request = JSON.parse(text)
  } catch {
    request = undefined
  }
  if (typeof request !== 'object' || request === null) {
    ws.send(JSON.stringify({ id: null, error: { code: 'invalid-argument', message: 'the request is not a JSON object' } }))
    return
  }
  const { id, method, args } = request as { id?: unknown; method?: unknown; args?: unknown }
  try {
    const result = await dispatch(api, method, args)
    ws.send(JSON.stringify({ id, result: result ?? null }))
  } catch (error) {
    const payload = error instanceof ApiCallError ? error.payload : { code: 'failed', message: String(error) }
    ws.send(JSON.stringify({ id, error: payload }))
  }
}
