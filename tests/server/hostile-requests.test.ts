// Requests no browser of ours sends must not take `gan-studio serve` down (its training runs with it):
// each gets an answer, and the server keeps answering afterwards. Raw sockets, so nothing is tidied up
// by a client library before it reaches the server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect as connectTcp } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { GanService } from '../../src/main/api/service'
import { RunManager } from '../../src/main/runs/manager'
import { startServer, type RunningServer } from '../../src/main/server'

let dir: string
let manager: RunManager
let server: RunningServer
const TOKEN = 'hostile-test-token'
const COOKIE = `gan_studio_token=${TOKEN}`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gan-hostile-'))
  mkdirSync(join(dir, 'ui'))
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>GAN Studio</title>')
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
  const api = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'websocket', version: '1.2.3' })
  server = await startServer({ api, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: join(dir, 'ui') })
})
afterAll(async () => {
  await server.close()
  await manager.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Sends `lines` as one raw HTTP request and returns everything the server writes until it closes. */
function raw(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(server.port, '127.0.0.1')
    let received = ''
    socket.on('data', (data) => (received += data.toString()))
    socket.on('end', () => resolve(received))
    socket.on('error', reject)
    socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  })
}

function upgrade(path: string, headers: string[]): Promise<string> {
  return raw([
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${server.port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...headers
  ])
}

function get(path: string, headers: string[] = []): Promise<string> {
  return raw([`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, 'Connection: close', ...headers])
}

function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1])
}

async function stillServing(): Promise<void> {
  const page = await fetch(server.url)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('GAN Studio')
}

describe('gan-studio serve under malformed and hostile requests', () => {
  it('refuses a socket from a sandboxed frame (Origin: null) without the token, and keeps serving', async () => {
    const response = await upgrade('/api', ['Origin: null'])
    expect(statusOf(response)).toBe(401)
    expect(response).toContain('needs its token')
    await stillServing()
  })

  it('refuses a socket from another or an unreadable origin even with the token', async () => {
    for (const origin of ['null', 'http://evil.example', 'http://[', '::::']) {
      const response = await upgrade('/api', [`Origin: ${origin}`, `Cookie: ${COOKIE}`])
      expect(statusOf(response), origin).toBe(403)
    }
    expect(statusOf(await upgrade('/elsewhere', [`Cookie: ${COOKIE}`]))).toBe(404)
    expect(statusOf(await upgrade('//', [`Cookie: ${COOKIE}`]))).toBe(400)
    await stillServing()
  })

  it('answers 400 to a path with a broken %-escape or a NUL byte, and keeps serving', async () => {
    for (const path of ['/%E0%A4%A', '/%ZZ', '/assets/%00.js']) {
      const response = await get(path, [`Cookie: ${COOKIE}`])
      expect(statusOf(response), path).toBe(400)
      expect(response).toContain('bad request')
    }
    expect(statusOf(await get('//'))).toBe(400)
    expect(statusOf(await get('/%E0%A4%A'))).toBe(401)
    await stillServing()
  })

  it('answers API messages that are not requests, and survives a client breaking the protocol', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { cookie: COOKIE } })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const replies: unknown[] = []
    const got = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        replies.push(JSON.parse(data.toString()))
        if (replies.length === 3) resolve()
      })
    )
    for (const text of ['null', '42', 'not json']) ws.send(text)
    await got
    for (const reply of replies) expect(reply).toMatchObject({ id: null, error: { code: 'invalid-argument' } })
    // A frame with a reserved opcode (0x3) is a protocol error on the server's side of the socket.
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    const internal = ws as unknown as { _socket: { write(data: Buffer): void } }
    internal._socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]))
    expect(await closed).toBe(1002)
    await stillServing()
  })
})
