// The Electron bootstrap (src/main/index.ts) and the preload, run against a fake 'electron' module because
// the Electron binary cannot run here. Everything behind them is the real core: a real database, real
// validation, real answers. The Playwright Electron test covers the real binary where it exists.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { homedir } from 'node:os'
import { ARGUMENT_SCHEMAS, METHOD_NAMES, type FolderListing } from '../../src/shared/api'
import { callsWithOptionalsLeftOut } from '../fixtures/api-calls'

const dir = mkdtempSync(join(tmpdir(), 'gan-electron-fake-'))
const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>()
  const windows: { options: Record<string, unknown>; sent: unknown[][]; posted: [string, unknown, unknown[]][]; loaded: string | null; events: Map<string, (...args: unknown[]) => void>; contentsEvents: Map<string, (...args: unknown[]) => void>; destroyed: boolean }[] = []
  const switches: [string, string | undefined][] = []
  const ports: { sent: unknown[]; closed: boolean; started: boolean; listener: ((event: { data: unknown }) => void) | null; peer: unknown }[] = []
  const appEvents = new Map<string, (...args: unknown[]) => void>()
  const webContentsEvents = new Map<string, (...args: unknown[]) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | null = null
  let headersHook: ((details: { responseHeaders: Record<string, string[]> }, callback: (r: unknown) => void) => void) | null = null
  const exposed: Record<string, unknown> = {}
  const invoked: [string, unknown[]][] = []
  let quitted: () => void = () => undefined
  const quit = new Promise<void>((resolve) => (quitted = resolve))
  return { quit, quitted: () => quitted(), handlers, windows, switches, ports, appEvents, webContentsEvents, exposed, invoked, getOpenHandler: () => openHandler, setOpenHandler: (h: typeof openHandler) => (openHandler = h), getHeadersHook: () => headersHook, setHeadersHook: (h: typeof headersHook) => (headersHook = h) }
})

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = []
    static getAllWindows = () => BrowserWindow.all
    record: (typeof fake.windows)[number]
    webContents: { send: (...args: unknown[]) => void; postMessage: (channel: string, message: unknown, transfer: unknown[]) => void; on: (name: string, listener: (...args: unknown[]) => void) => void }
    constructor(options: Record<string, unknown>) {
      this.record = { options, sent: [], posted: [], loaded: null, events: new Map(), contentsEvents: new Map(), destroyed: false }
      fake.windows.push(this.record)
      this.webContents = {
        send: (...args: unknown[]) => this.record.sent.push(args),
        postMessage: (channel, message, transfer) => this.record.posted.push([channel, message, transfer]),
        on: (name, listener) => this.record.contentsEvents.set(name, listener)
      }
      BrowserWindow.all.push(this)
    }
    once() {}
    on(name: string, listener: (...args: unknown[]) => void) {
      this.record.events.set(name, listener)
    }
    show() {}
    destroy() {
      this.record.destroyed = true
      this.record.events.get('closed')?.()
    }
    isDestroyed() {
      return this.record.destroyed
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
  /** Electron's main-process MessagePort pair: records what each end sends (the renderer end never runs here). */
  class MessageChannelMain {
    port1: unknown
    port2: unknown
    constructor() {
      const make = () => {
        const record = { sent: [] as unknown[], closed: false, started: false, listener: null as ((event: { data: unknown }) => void) | null, peer: null as unknown }
        fake.ports.push(record)
        return {
          record,
          postMessage: (message: unknown) => record.sent.push(message),
          on: (name: string, listener: (event: { data: unknown }) => void) => {
            if (name === 'message') record.listener = listener
          },
          start: () => (record.started = true),
          close: () => (record.closed = true)
        }
      }
      this.port1 = make()
      this.port2 = make()
    }
  }
  const app = {
    commandLine: { appendSwitch: (name: string, value?: string) => fake.switches.push([name, value]) },
    whenReady: () => Promise.resolve(),
    getPath: () => join(dir, 'user-data'),
    getAppPath: () => dir,
    on: (name: string, listener: (...args: unknown[]) => void) => {
      fake.appEvents.set(name, listener)
      return app
    },
    quit: () => fake.quitted()
  }
  return {
    app,
    BrowserWindow,
    MessageChannelMain,
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
      // A fake of Electron's IPC: the arguments cross as a structured clone (which keeps undefined, unlike
      // JSON) to the handler the bootstrap registered, called as from the app's own page.
      invoke: async (channel: string, ...args: unknown[]) => {
        fake.invoked.push([channel, args])
        const handler = fake.handlers.get(channel)
        if (!handler) throw new Error(`no handler for ${channel}`)
        return handler({ senderFrame: { url: 'file:///app/out/renderer/index.html' } }, ...structuredClone(args))
      },
      on: () => undefined,
      off: () => undefined
    }
  }
})

afterAll(async () => {
  const quit = fake.appEvents.get('before-quit')
  // The app quits once its runs are checkpointed and the database is closed: then the folder can go.
  if (quit) {
    quit({ preventDefault: () => undefined })
    await fake.quit
  }
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
    await expect(fake.handlers.get('gan:getRun')!(appPage, 'x')).rejects.toThrow(/^Run id must be a number\.$/)
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

describe('the GPU compute window with a fake electron module (the binary cannot run here)', () => {
  it('turns WebGPU on for Linux before the app is ready', () => {
    if (process.platform === 'linux') expect(fake.switches).toEqual(expect.arrayContaining([['enable-unsafe-webgpu', undefined], ['enable-features', 'Vulkan']]))
  })

  it('opens one hidden, sandboxed window on our own compute page when a session asks, and hands it a port per session', async () => {
    const { ComputeWindow } = await import('../../src/main/compute-window')
    const electron = await import('electron')
    const before = fake.windows.length
    const compute = new ComputeWindow(electron, { page: '/app/out/compute/index.html', preload: '/app/out/preload/compute.js' })
    const first = compute.open()
    const second = compute.open()
    expect(fake.windows).toHaveLength(before + 1)
    const window = fake.windows[before]
    expect(window.options).toMatchObject({ show: false, webPreferences: { contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true, backgroundThrottling: false, preload: '/app/out/preload/compute.js' } })
    expect(window.loaded).toBe('/app/out/compute/index.html')
    await vi.waitFor(() => expect(window.posted).toHaveLength(2))
    expect(window.posted.map(([channel, message, transfer]) => [channel, message, (transfer as unknown[]).length])).toEqual([
      ['gan:compute-port', null, 1],
      ['gan:compute-port', null, 1]
    ])
    // What a session sends goes into its port; what comes back reaches the session.
    first.post({ id: 1, type: 'step' })
    const firstPort = fake.ports.find((p) => p.sent.length > 0)!
    expect(firstPort.sent).toEqual([{ id: 1, type: 'step' }])
    expect(firstPort.started).toBe(true)
    const received: unknown[] = []
    first.onMessage((m) => received.push(m))
    firstPort.listener!({ data: { id: 1, ok: true, result: null, counters: null } })
    expect(received).toEqual([{ id: 1, ok: true, result: null, counters: null }])

    // The window crashing fails every open session as a lost GPU (they pause at their checkpoints), and the next session gets a new window.
    const lost: unknown[] = []
    second.onMessage((m) => lost.push(m))
    window.contentsEvents.get('render-process-gone')!({}, { reason: 'crashed' })
    expect(lost).toEqual([{ id: -1, ok: false, hostLost: true, error: { name: 'GpuFaultError', kind: 'device-lost', message: "the GPU's compute window stopped (its renderer process crashed)" } }])
    compute.open()
    expect(fake.windows).toHaveLength(before + 2)
    compute.close()
    expect(fake.windows[before + 1].destroyed).toBe(true)
  })

  it('does not let the compute window call the core', async () => {
    const computePage = { senderFrame: { url: 'file:///app/out/compute/index.html' } }
    await expect(fake.handlers.get('gan:listRuns')!(computePage)).rejects.toThrow(/refused/)
  })
})

describe('preload with a fake electron module (the binary cannot run here)', () => {
  it('exposes exactly the API methods and an event subscription as window.gan', async () => {
    await import('../../src/preload/index')
    const gan = fake.exposed.gan as Record<string, (...args: unknown[]) => Promise<unknown>>
    expect(Object.keys(gan).sort()).toEqual([...METHOD_NAMES, 'onEvent'].sort())
    await expect(gan.getRun(3)).rejects.toThrow('there is no run with id 3')
    expect(fake.invoked.at(-1)).toEqual(['gan:getRun', [3]])
    expect(gan).not.toHaveProperty('invoke')
    expect(gan).not.toHaveProperty('send')
  })

  it("the compute window's preload hands the page each port and exposes nothing", async () => {
    const listeners = new Map<string, (event: { ports: unknown[] }) => void>()
    const electron = (await import('electron')) as unknown as { ipcRenderer: { on: (channel: string, l: (event: { ports: unknown[] }) => void) => void } }
    electron.ipcRenderer.on = (channel, listener) => void listeners.set(channel, listener)
    const posted: unknown[][] = []
    ;(globalThis as unknown as { postMessage: (...args: unknown[]) => void }).postMessage = (...args) => void posted.push(args)
    const exposedBefore = Object.keys(fake.exposed)
    await import('../../src/preload/compute')
    expect(Object.keys(fake.exposed)).toEqual(exposedBefore)
    listeners.get('gan:compute-port')!({ ports: ['port'] })
    expect(posted).toEqual([['gan:compute-port', '*', ['port']]])
  })
})

describe('optional arguments over a fake Electron IPC (the binary cannot run here)', () => {
  it('Browse with an empty folder field opens the home folder', async () => {
    const gan = fake.exposed.gan as Record<string, (...args: unknown[]) => Promise<unknown>>
    expect(((await gan.browseFolder(undefined)) as FolderListing).path).toBe(homedir())
  })

  it('every method, its optional arguments left out, sends arguments the core accepts', async () => {
    const gan = fake.exposed.gan as Record<string, (...args: unknown[]) => Promise<unknown>>
    const calls = callsWithOptionalsLeftOut(join(dir, 'photos'))
    const refused: string[] = []
    for (const method of METHOD_NAMES) {
      // What crosses the fake IPC is recorded as the call is made; the answers do not matter here (some
      // never come: describeBackends waits on a compute window, which the fake app has not got).
      void gan[method](...(calls[method] as unknown[])).catch(() => undefined)
      const [channel, sent] = fake.invoked.at(-1)!
      expect(channel).toBe(`gan:${method}`)
      const parsed = ARGUMENT_SCHEMAS[method].safeParse(structuredClone(sent))
      if (!parsed.success) refused.push(`${method}: ${parsed.error.message}`)
    }
    expect(refused).toEqual([])
  }, 120_000)
})
