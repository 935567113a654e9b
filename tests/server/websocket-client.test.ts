// The browser's API client (src/renderer/src/api/websocket.ts) against a real `gan-studio serve` server
// that stops and comes back: a call the UI was told failed never runs later. Node has no WebSocket of its
// own here, so the client runs on the `ws` package's, which has the browser's interface.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import type { GanApi } from '../../src/shared/api'
import { GanService } from '../../src/main/api/service'
import { RunManager } from '../../src/main/runs/manager'
import { startServer, type RunningServer } from '../../src/main/server'

type State = 'connected' | 'connecting' | 'disconnected'
type Client = GanApi & { onConnection(listener: (state: State) => void): () => void; close(): void }

// Imported by a computed path: the client is DOM-typed renderer code, outside this Node-typed project.
const CLIENT_MODULE = '../../src/renderer/src/api/websocket'
let websocketClient: (url: string) => Client

let dir: string
let manager: RunManager
let api: GanService
let server: RunningServer | null = null
const TOKEN = 'client-test-token'

async function serveOn(port: number): Promise<RunningServer> {
  server = await startServer({ api, host: '127.0.0.1', port, token: TOKEN, rendererDir: join(dir, 'ui') })
  return server
}

async function stopServer(): Promise<void> {
  await server?.close()
  server = null
}

function reaches(client: Client, wanted: State): Promise<void> {
  return new Promise((resolve) => {
    const stop = client.onConnection((state) => {
      if (state !== wanted) return
      queueMicrotask(() => stop())
      resolve()
    })
  })
}

beforeAll(async () => {
  vi.stubGlobal('WebSocket', WebSocket)
  ;({ websocketClient } = (await import(/* @vite-ignore */ CLIENT_MODULE)) as { websocketClient: typeof websocketClient })
  dir = mkdtempSync(join(tmpdir(), 'gan-client-'))
  mkdirSync(join(dir, 'ui'))
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>GAN Studio</title>')
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
  api = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'websocket', version: '1.2.3' })
})
afterAll(async () => {
  await stopServer()
  await manager.close()
  vi.unstubAllGlobals()
  rmSync(dir, { recursive: true, force: true })
})

describe('the browser API client when the server goes away', () => {
  it('never runs a call after a reconnect once it has reported it failed', async () => {
    const run = await api.createRun({ source: 'builtin:mnist', config: { imageSize: 32 }, name: 'original' })
    const { port } = await serveOn(0)
    await stopServer()

    // The page opens while the server is down: a call made while its socket is still connecting waits
    // for it, and fails when that attempt fails.
    const client = websocketClient(`ws://127.0.0.1:${port}/api?token=${TOKEN}`)
    try {
      await expect(client.renameRun(run.id, 'renamed while down')).rejects.toThrow(/not done: GAN Studio is not connected/)

      // The server comes back and the client reconnects: the failed rename stays undone.
      const back = reaches(client, 'connected')
      await serveOn(port)
      await back
      expect((await client.getRun(run.id)).name).toBe('original')
      expect((await api.getRun(run.id)).name).toBe('original')

      // Connected, a call runs (so the checks above could have seen a rename land).
      expect((await client.renameRun(run.id, 'renamed while up')).name).toBe('renamed while up')

      // The server stops under a connected page: a call then fails, and stays undone after a restart.
      const down = reaches(client, 'disconnected')
      await stopServer()
      await down
      await expect(client.renameRun(run.id, 'renamed after the drop')).rejects.toThrow(/not done/)
      const again = reaches(client, 'connected')
      await serveOn(port)
      await again
      expect((await client.getRun(run.id)).name).toBe('renamed while up')
    } finally {
      client.close()
    }
  })
})
