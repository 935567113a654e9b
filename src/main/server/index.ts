// `gan-studio serve`: the built UI over HTTP and the API over a WebSocket, for a browser on this machine
// (127.0.0.1 unless told otherwise) or another one. Every request needs the token: the printed URL
// carries it once, the page then keeps it in an HttpOnly, SameSite=Strict cookie.
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ApiEvent, GanApi } from '../../shared/api'
import { ApiCallError, dispatch } from '../api/dispatch'
import { readStatic } from './static-files'

export interface ServerOptions {
  api: GanApi & { onEvent(listener: (event: ApiEvent) => void): () => void }
  host: string
  port: number
  token: string
  rendererDir: string
}

export interface RunningServer {
  url: string
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

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const queryToken = url.searchParams.get('token')
    const authorized = tokenMatches(queryToken, options.token) || tokenMatches(cookieToken(request), options.token)
    if (!authorized) {
      return refuse(response, 401, 'GAN Studio: this page needs its token. Open the address `gan-studio serve` printed (it ends in ?token=...).')
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'method not allowed')
    const file = await readStatic(options.rendererDir, url.pathname)
    if (!file) return refuse(response, 404, 'not found')
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': file.type }
    if (queryToken) headers['Set-Cookie'] = `${COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`
    response.writeHead(200, headers)
    response.end(request.method === 'HEAD' ? undefined : file.body)
  })

  const sockets = new WebSocketServer({ noServer: true })
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const origin = request.headers.origin
    const sameOrigin = !origin || new URL(origin).host === request.headers.host
    const authorized = tokenMatches(cookieToken(request), options.token) || tokenMatches(url.searchParams.get('token'), options.token)
    if (url.pathname !== '/api' || !authorized || !sameOrigin) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveClient(ws, options.api))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}/?token=${options.token}`,
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
  ws.on('message', async (data) => {
    let request: { id?: unknown; method?: unknown; args?: unknown }
    try {
      request = JSON.parse(data.toString())
    } catch {
      ws.send(JSON.stringify({ id: null, error: { code: 'invalid-argument', message: 'the request is not JSON' } }))
      return
    }
    try {
      const result = await dispatch(api, request.method, request.args)
      ws.send(JSON.stringify({ id: request.id, result: result ?? null }))
    } catch (error) {
      const payload = error instanceof ApiCallError ? error.payload : { code: 'failed', message: String(error) }
      ws.send(JSON.stringify({ id: request.id, error: payload }))
    }
  })
}
