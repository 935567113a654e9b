// The desktop app's way to the GPU. Dawn (npm webgpu) cannot run inside Electron, whose V8 memory cage
// refuses the buffers it hands out; Chromium's own WebGPU lives in renderers and their workers. So one
// hidden window (src/compute) hosts a Web Worker per training session, each running the same trainer
// module on the GPU, and the session reaches it through a MessagePort (compute-link.ts).
//
// Electron comes in as a parameter (index.ts passes the real module; only index.ts imports it), so this file
// is plain code that the fake-Electron bootstrap test drives.
import type * as Electron from 'electron'
import type { ComputeConnector } from './runs/compute-link'
import type { ComputeChannel, ComputeReply } from './training/compute/protocol'

export const COMPUTE_PORT_MESSAGE = 'gan:compute-port'

type ElectronParts = Pick<typeof Electron, 'BrowserWindow' | 'MessageChannelMain'>

/** The compute window: hidden, sandboxed, isolated like the app's window, our own files only. */
export function computeWindowOptions(preload: string): Electron.BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 400,
    height: 300,
    title: 'GAN Studio compute',
    webPreferences: {
      preload,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
      // Hidden windows are throttled by default; training there must run at full speed.
      backgroundThrottling: false
    }
  }
}

export class ComputeWindow implements ComputeConnector {
  private window: Electron.BrowserWindow | null = null
  private loaded: Promise<void> | null = null
  /** Channels whose sessions must hear when the window goes away. */
  private readonly listening = new Set<(reply: ComputeReply) => void>()

  constructor(
    private readonly electron: ElectronParts,
    private readonly files: { page: string; preload: string }
  ) {}

  /** Closes the window (the app is quitting); sessions still using it hear that it is gone. */
  close(): void {
    const window = this.window
    this.window = null
    this.loaded = null
    if (window && !window.isDestroyed()) window.destroy()
  }

  open(): ComputeChannel {
    const window = this.ensureWindow()
    const { port1, port2 } = new this.electron.MessageChannelMain()
    const handlers: ((message: unknown) => void)[] = []
    const deliver = (message: unknown) => handlers.forEach((h) => h(message))
    let closed = false
    this.listening.add(deliver)
    port1.on('message', (event) => deliver(event.data))
    port1.start()
    // Messages posted before the page has the port wait in it.
    void this.loaded!.then(
      () => {
        if (!closed && !window.isDestroyed()) window.webContents.postMessage(COMPUTE_PORT_MESSAGE, null, [port2])
      },
      (error: Error) => deliver(lostReply(`the GPU's compute window did not load (${error.message})`))
    )
    return {
      post: (message) => {
        if (!closed) port1.postMessage(message)
      },
      onMessage: (handler) => void handlers.push(handler),
      close: () => {
        closed = true
        this.listening.delete(deliver)
        port1.close()
      }
    }
  }

  private ensureWindow(): Electron.BrowserWindow {
    if (this.window && !this.window.isDestroyed()) return this.window
    const window = new this.electron.BrowserWindow(computeWindowOptions(this.files.preload))
    this.window = window
    this.loaded = window.loadFile(this.files.page)
    const gone = (why: string) => {
      if (this.window === window) {
        this.window = null
        this.loaded = null
      }
      const reply = lostReply(`the GPU's compute window stopped (${why})`)
      for (const deliver of this.listening) deliver(reply)
      this.listening.clear()
    }
    window.webContents.on('render-process-gone', (_, details) => gone(`its renderer process ${details.reason === 'crashed' ? 'crashed' : `ended: ${details.reason}`}`))
    window.on('closed', () => gone('it was closed'))
    return window
  }
}

/** What every pending request of a session gets when the window is gone: a lost GPU, never a wait. */
function lostReply(message: string): ComputeReply {
  return { id: -1, ok: false, hostLost: true, error: { name: 'GpuFaultError', kind: 'device-lost', message } }
}
