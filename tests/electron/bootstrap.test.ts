// The Electron bootstrap (src/main/index.ts) and the preload, run against a fake 'electron' module because
// the Electron binary cannot run here. Everything behind them is the real core: a real database, real
// validation, real answers. The Playwright Electron test covers the real binary where it exists.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { METHOD_NAMES } from '../../src/shared/api'

const dir = mkdtempSync(join(tmpdir(), 'gan-electron-fake-'))
const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>()
  const windows: { options: Record<string, unknown>; sent: unknown[][]; loaded: string | null }[] = []
  const appEvents = new Map<string, (...args: unknown[]) => void>()
  const webContentsEvents = new Map<string, (...args: unknown[]) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | null = null
  let headersHook: ((details: { responseHeaders: Record<string, string[]> }, callback: (r: unknown) => void) => void) | null = null
  const exposed: Record<string, unknown> = {}
  const invoked: [string, unknown[]][] = []
  return { handlers, windows, appEvents, webContentsEvents, exposed, invoked, getOpenHandler: () => openHandler, setOpenHandler: (h: typeof openHandler) => (openHandler = h), getHeadersHook: () => headersHook, setHeadersHook: (h: typeof headersHook) => (headersHook = h) }
})

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = []
    static getAllWindows = () => BrowserWindow.all
    record: (typeof fake.windows)[number]
    webContents: { send: (...args: unknown[]) => void }
    constructor(options: Record<string, unknown>) {
      this.record = { options, sent: [], loaded: null }
      fake.windows.push(this.record)
      this.webContents = { send: (...args: unknown[]) => this.record.sent.push(args) }
      BrowserWindow.all.push(this)
    }
    once() {}
    show() {}
    isDestroyed() {
      return false
    }
    loadFile(path: string) {
      this.record.loaded = path
      return Promise.resolve()
    }
    loadURL(url: string) {
      this.record.loaded = url
      return Promise.resolve()
    }
  }
  const app = {
    whenReady: () => Promise.resolve(),
    getPath: () => join(dir, 'user-data'),
    getAppPath: () => dir,
    on: (name: string, listener: (...args: unknown[]) => void) => {
      fake.appEvents.set(name, listener)
      return app
    },
    quit: () => undefined
  }
  return {
    app,
    BrowserWindow,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
    shell: { openExternal: async () => undefined },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (hook: NonNullable<ReturnType<typeof fake.getHeadersHook>>) => fake.setHeadersHook(hook) },
        setPermissionRequestHandler: () => undefined
      }
    },
    ipcMain: { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => fake.handlers.set(channel, handler) },
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => Object.assign(fake.exposed, { [name]: api }) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        fake.invoked.push([channel, args])
        return null
      },
      on: () => undefined,
      off: () => undefined
    }
  }
})

afterAll(async () => {
  const quit = fake.appEvents.get('before-quit')
  if (quit) quit({ preventDefault: () => undefined })
  await new Promise((r) => setTimeout(r, 500))
  rmSync(dir, { recursive: true, force: true })
})

describe('Electron bootstrap with a fake electron module (the binary cannot run here)', () => {
  it('opens one locked-down window on the built page', async () => {
    process.env.GAN_STUDIO_HOME = join(dir, 'home')
    process.env.GAN_STUDIO_CACHE = join(dir, 'cache')
    await import('../../src/main/index')
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1))
    const prefs = fake.windows[0].options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true })
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.js$/)
    expect(fake.windows[0].loaded).toMatch(/renderer[\\/]index\.html$/)
  })

  it('registers exactly one IPC handler per API method, and they reach the real core', async () => {
    await vi.waitFor(() => expect(fake.handlers.size).toBe(METHOD_NAMES.length))
    expect([...fake.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `gan:${m}`).sort())
    const appPage = { senderFrame: { url: 'file:///app/out/renderer/index.html' } }
    expect(await fake.handlers.get('gan:listRuns')!(appPage)).toEqual([])
    // The app opens the same database the CLI and `gan-studio serve` use (not Electron's userData folder).
    expect(existsSync(join(dir, 'home', 'runs.db'))).toBe(true)
    const info = (await fake.handlers.get('gan:appInfo')!(appPage)) as { transport: string; nativeFolderDialog: boolean }
    expect(info).toMatchObject({ transport: 'ipc', nativeFolderDialog: true })
    // Arguments are validated in the core; the message is the user's, not a stack.
    await expect(fake.handlers.get('gan:getRun')!(appPage, 'x')).rejects.toThrow('getRun: run id must be a number')
    // A page that is not the app's own is refused.
    await expect(fake.handlers.get('gan:listRuns')!({ senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(/refused/)
  })

  it('refuses navigation and new windows, and sets a strict Content-Security-Policy', () => {
    const created = fake.appEvents.get('web-contents-created')!
    const contents = {
      getURL: () => 'file:///app/index.html',
      on: (name: string, listener: (...args: unknown[]) => void) => fake.webContentsEvents.set(name, listener),
      setWindowOpenHandler: (h: NonNullable<ReturnType<typeof fake.getOpenHandler>>) => fake.setOpenHandler(h)
    }
    created({}, contents)
    let prevented = false
    fake.webContentsEvents.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://example.com/')
    expect(prevented).toBe(true)
    expect(fake.getOpenHandler()!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    let headers: Record<string, string[]> = {}
    fake.getHeadersHook()!({ responseHeaders: {} }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders))
    const csp = headers['Content-Security-Policy'][0]
    expect(csp).toMatch(/default-src 'self'/)
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).not.toMatch(/unsafe-eval/)
  })
})

describe('preload with a fake electron module (the binary cannot run here)', () => {
  it('exposes exactly the API methods and an event subscription as window.gan', async () => {
    await import('../../src/preload/index')
    const gan = fake.exposed.gan as Record<string, (...args: unknown[]) => Promise<unknown>>
    expect(Object.keys(gan).sort()).toEqual([...METHOD_NAMES, 'onEvent'].sort())
    await gan.getRun(3)
    expect(fake.invoked.at(-1)).toEqual(['gan:getRun', [3]])
    expect(gan).not.toHaveProperty('invoke')
    expect(gan).not.toHaveProperty('send')
  })
})
