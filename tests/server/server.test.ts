// The browser mode's server: the token guards every request, files stay inside the UI folder, and the
// WebSocket speaks the API.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import type { ApiEvent } from '../../src/shared/api'
import { GanService } from '../../src/main/api/service'
import { RunManager } from '../../src/main/runs/manager'
import { startServer, type RunningServer } from '../../src/main/server'

let dir: string
let manager: RunManager
let server: RunningServer
let origin: string
const TOKEN = 'a-test-token'
/** Called when the server lets go of a page's connection (it unsubscribes the page from events). */
let onPageGone: () => void = () => undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gan-server-'))
  const ui = join(dir, 'ui')
  mkdirSync(join(ui, 'assets'), { recursive: true })
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>GAN Studio</title>')
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'secret.txt'), 'outside the UI folder')
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
  const service = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'websocket', version: '1.2.3' })
  const api = Object.assign(Object.create(service) as GanService, {
    onEvent: (listener: (event: ApiEvent) => void) => {
      const unsubscribe = service.onEvent(listener)
      return () => (unsubscribe(), onPageGone())
    }
  })
  server = await startServer({ api, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: ui })
  origin = new URL(server.url).origin
})
afterAll(async () => {
  await server.close()
  await manager.close()
  rmSync(dir, { recursive: true, force: true })
})

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)))
    ws.once('error', reject)
  })
}

function request(ws: WebSocket, id: number, method: string, args: unknown[]): Promise<{ id: number; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString())
      if (message.id === id) {
        ws.off('message', onMessage)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, method, args }))
  })
}

describe('gan-studio serve', () => {
  it('listens on 127.0.0.1 and prints an address that carries the token', () => {
    expect(server.url).toBe(`${origin}/?token=${TOKEN}`)
    expect(new URL(server.url).hostname).toBe('127.0.0.1')
  })

  it('refuses pages without the token and sets an HttpOnly cookie with it', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(401)
    expect((await fetch(`${origin}/assets/app.js`)).status).toBe(401)
    expect((await fetch(`${origin}/?token=wrong`)).status).toBe(401)
    const page = await fetch(server.url)
    expect(page.status).toBe(200)
    const cookie = page.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const asset = await fetch(`${origin}/assets/app.js`, { headers: { cookie: cookie.split(';')[0] } })
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
  })

  it('never serves a file outside the UI folder', async () => {
    const cookie = `gan_studio_token=${TOKEN}`
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await fetch(`${origin}${path}`, { headers: { cookie } })
      expect(response.status).toBe(404)
    }
  })

  it('opens the API socket only with the token and from its own origin', async () => {
    await expect(connect({})).rejects.toThrow(/401/)
    await expect(connect({ cookie: `gan_studio_token=${TOKEN}`, origin: 'http://evil.example' })).rejects.toThrow(/403/)
    const ws = await connect({ cookie: `gan_studio_token=${TOKEN}`, origin })
    const info = await request(ws, 1, 'appInfo', [])
    expect(info.result).toMatchObject({ version: '1.2.3', transport: 'websocket', nativeFolderDialog: false })
    const bad = await request(ws, 2, 'getRun', ['x'])
    expect(bad.error).toMatchObject({ code: 'invalid-argument', message: 'Run id must be a number.' })
    const missing = await request(ws, 3, 'getRun', [99])
    expect(missing.error).toEqual({ code: 'failed', message: 'there is no run with id 99' })
    ws.close()
  })

  it('pushes events to connected pages', async () => {
    const ws = await connect({ cookie: `gan_studio_token=${TOKEN}` })
    const event = new Promise((resolve) => ws.on('message', (data) => {
      const message = JSON.parse(data.toString())
      if (message.event) resolve(message.event)
    }))
    await request(ws, 1, 'createRun', [{ source: 'builtin:mnist', config: { imageSize: 32 }, name: 'pushed' }])
    expect(await event).toEqual({ type: 'runs-changed' })
    ws.close()
  })
})

describe('a page that goes away', () => {
  it('is not logged as an error when its tab closes and resets the connection', async () => {
    const logged = vi.spyOn(console, 'error')
    try {
      for (const close of [(ws: WebSocket) => ws.close(1001), (ws: WebSocket) => (ws as unknown as { _socket: import('node:net').Socket })._socket.resetAndDestroy()]) {
        const ws = await connect({ cookie: `gan_studio_token=${TOKEN}`, origin })
        expect((await request(ws, 1, 'listRuns', [])).error).toBeUndefined()
        const gone = new Promise<void>((resolve) => (onPageGone = resolve))
        close(ws)
        await gone
      }
      expect(logged).not.toHaveBeenCalled()
    } finally {
      logged.mockRestore()
    }
  })
})
