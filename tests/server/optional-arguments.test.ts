// Optional arguments over the WebSocket: the browser's real API client against a real server, every
// method called as the UI calls it with its optional arguments left out. Each call must get past the
// core's validation and reach the service (it may still fail there: the run ids do not exist).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { METHOD_NAMES, type FolderListing, type GanApi, type MethodName } from '../../src/shared/api'
import { GanService } from '../../src/main/api/service'
import { RunManager } from '../../src/main/runs/manager'
import { startServer, type RunningServer } from '../../src/main/server'
import { callsWithOptionalsLeftOut } from '../fixtures/api-calls'
import { writeImageFolder } from '../fixtures/image-folder'

type Client = GanApi & { close(): void }
// Imported by a computed path: the client is DOM-typed renderer code, outside this Node-typed project.
const CLIENT_MODULE = '../../src/renderer/src/api/websocket'

let dir: string
let manager: RunManager
let server: RunningServer
let client: Client
/** Methods the service was called with: only calls that passed validation get there. */
const reached = new Set<string>()

beforeAll(async () => {
  vi.stubGlobal('WebSocket', WebSocket)
  const { websocketClient } = (await import(/* @vite-ignore */ CLIENT_MODULE)) as { websocketClient: (url: string) => Client }
  dir = mkdtempSync(join(tmpdir(), 'gan-optional-'))
  mkdirSync(join(dir, 'ui'))
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>GAN Studio</title>')
  await writeImageFolder(join(dir, 'photos'), 20)
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
  const service = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'websocket', version: '1.0.0' })
  const watched = new Proxy(service, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if ((METHOD_NAMES as string[]).includes(String(name))) reached.add(String(name))
        return value.apply(target, args)
      }
    }
  })
  server = await startServer({ api: watched, host: '127.0.0.1', port: 0, token: 'optional', rendererDir: join(dir, 'ui') })
  client = websocketClient(`ws://127.0.0.1:${server.port}/api?token=optional`)
})
afterAll(async () => {
  client?.close()
  await server?.close()
  await manager?.close()
  vi.unstubAllGlobals()
  rmSync(dir, { recursive: true, force: true })
})

describe('optional arguments over the WebSocket', () => {
  it('Browse with an empty folder field opens the home folder', async () => {
    const listing = (await client.browseFolder(undefined)) as FolderListing
    expect(listing.path).toBe(homedir())
  })

  it('every method, its optional arguments left out, passes validation and reaches the core', async () => {
    const calls = callsWithOptionalsLeftOut(join(dir, 'photos'))
    const refused: string[] = []
    for (const method of METHOD_NAMES) {
      const call = client[method] as (...args: unknown[]) => Promise<unknown>
      await call.apply(client, calls[method] as unknown[]).catch((error: Error) => {
        if (!reached.has(method)) refused.push(`${method}: ${error.message}`)
      })
    }
    expect(refused).toEqual([])
    expect([...reached].sort()).toEqual([...METHOD_NAMES].sort() as MethodName[])
  }, 120_000)
})
