// What `gan-studio serve` prints: addresses a browser can open (never 0.0.0.0) and a help text whose
// option descriptions line up.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GanService } from '../../src/main/api/service'
import { SERVE_HELP } from '../../src/main/cli/serve'
import { RunManager } from '../../src/main/runs/manager'
import { startServer } from '../../src/main/server'
import { isAllInterfaces, localAddress, networkAddresses } from '../../src/main/server/addresses'

let dir: string
let manager: RunManager
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gan-serve-output-'))
  mkdirSync(join(dir, 'ui'))
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>GAN Studio</title>')
  manager = new RunManager({ dbPath: join(dir, 'runs.db'), cacheDir: join(dir, 'cache') })
})
afterAll(async () => {
  await manager.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('serve addresses', () => {
  it('listening on every interface, prints a loopback address that opens the page', async () => {
    const api = new GanService({ manager, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'websocket', version: '1.2.3' })
    const server = await startServer({ api, host: '0.0.0.0', port: 0, token: 'tok', rendererDir: join(dir, 'ui') })
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=tok`)
      expect((await fetch(server.url)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('names this machine and its network addresses for other machines, never the wildcard', () => {
    expect(isAllInterfaces('0.0.0.0')).toBe(true)
    expect(isAllInterfaces('::')).toBe(true)
    expect(isAllInterfaces('127.0.0.1')).toBe(false)
    const others = networkAddresses('0.0.0.0', 4317, 'tok')
    expect(others[0]).toBe(`http://${hostname()}:4317/?token=tok`)
    for (const address of others) {
      expect(new URL(address).port).toBe('4317')
      expect(address).not.toMatch(/0\.0\.0\.0|127\.0\.0\.1|\[::\]/)
    }
    expect(localAddress('::', 4317, 'tok')).toBe('http://[::1]:4317/?token=tok')
    expect(localAddress('::1', 4317, 'tok')).toBe('http://[::1]:4317/?token=tok')
    expect(localAddress('localhost', 80, 'tok')).toBe('http://localhost:80/?token=tok')
  })
})

describe('serve --help', () => {
  it('starts every option description in the same column, --db and --cache included', () => {
    const lines = SERVE_HELP.split('\n')
    const columns = lines.filter((line) => line.startsWith('  --')).map((line) => /^ {2}--\S+(?: \S+)? +/.exec(line)![0].length)
    expect(columns.length).toBe(6)
    expect(new Set(columns)).toEqual(new Set([columns[0]]))
    // Continuation lines start in that column too.
    for (const line of lines.filter((l) => /^ {4,}\S/.test(l))) expect(line.length - line.trimStart().length).toBe(columns[0])
  })
})
