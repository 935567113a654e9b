// Electron bootstrap only: the window and its security settings, and the API wired to IPC. Everything
// else lives in the Electron-free core (api/, runs/, training/, ...), tested under plain Node.
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, session, shell } from 'electron'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { METHOD_NAMES } from '../shared/api'
import { EVENT_CHANNEL, methodChannel } from '../shared/ipc'
import { ApiCallError, dispatch } from './api/dispatch'
import { GanService } from './api/service'
import { ComputeWindow } from './compute-window'
import { defaultCacheDir, defaultDataDir } from './paths'
import { RunManager } from './runs/manager'
import { APP_VERSION } from './version'

// WebGPU for the compute window: Chromium enables it on Windows and macOS; on Linux it still takes these
// switches (and a Vulkan driver). Where no adapter comes, training stays on the CPU and the run says why.
if (process.platform === 'linux') {
  app.commandLine.appendSwitch('enable-unsafe-webgpu')
  app.commandLine.appendSwitch('enable-features', 'Vulkan')
}

/** better-sqlite3 built for Electron's ABI by `npm install` (scripts/prepare-electron-sqlite.js), if it could be. */
function electronSqliteBinding(): string | undefined {
  const built = join(app.getAppPath(), 'native', 'electron', 'better_sqlite3.node')
  return existsSync(built) ? built : undefined
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'GAN Studio',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false
    }
  })
  window.once('ready-to-show', () => {
    window.show()
    // `npm start` waits for this file to know the window opened; without it, it falls back to the browser mode.
    if (process.env.GAN_STUDIO_READY_FILE) writeFileSync(process.env.GAN_STUDIO_READY_FILE, 'ready')
  })
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void window.loadFile(join(__dirname, '../renderer/index.html'))
  return window
}

/** No navigation away from the app, no new windows; links to the web open in the user's browser. */
function lockDownNavigation(): void {
  app.on('web-contents-created', (_, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault()
    })
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
  // Content-Security-Policy as a header too (the page also carries it as a meta tag).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ]
      }
    })
  })
  session.defaultSession.setPermissionRequestHandler((_, __, callback) => callback(false))
}

async function start(): Promise<void> {
  await app.whenReady()
  lockDownNavigation()
  // The same folders as the CLI and `gan-studio serve`, so runs trained from a terminal show up here.
  const dataDir = defaultDataDir()
  const cacheDir = defaultCacheDir()
  // Training on the GPU happens in a hidden window's Web Workers (Chromium's WebGPU), opened when a run first needs it.
  const computeWindow = new ComputeWindow(
    { BrowserWindow, MessageChannelMain },
    { page: join(__dirname, '../compute/index.html'), preload: join(__dirname, '../preload/compute.js') }
  )
  const manager = new RunManager({ dbPath: join(dataDir, 'runs.db'), cacheDir, nativeBinding: electronSqliteBinding(), compute: computeWindow })
  let window = createWindow()
  // The hidden compute window must not keep the app open once its window is closed.
  const closeComputeWithApp = (w: BrowserWindow) => w.on('closed', () => computeWindow.close())
  closeComputeWithApp(window)
  const service = new GanService({
    manager,
    cacheDir,
    dataDir,
    transport: 'ipc',
    version: APP_VERSION,
    pickFolder: async () => {
      const result = await dialog.showOpenDialog(window, { title: 'Choose an image folder', properties: ['openDirectory'] })
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    chooseSavePath: async ({ title, defaultName, folder }) => {
      if (folder) {
        const result = await dialog.showOpenDialog(window, { title, properties: ['openDirectory', 'createDirectory'] })
        return result.canceled ? null : (result.filePaths[0] ?? null)
      }
      // The native dialog asks before replacing a file, so the export may overwrite what it returns.
      const result = await dialog.showSaveDialog(window, {
        title,
        defaultPath: join(app.getPath('pictures'), defaultName),
        // Linux dialogs ask before replacing only when told to; the app then does not ask again.
        properties: ['showOverwriteConfirmation', 'createDirectory']
      })
      return result.canceled ? null : (result.filePath ?? null)
    }
  })
  for (const name of METHOD_NAMES) {
    ipcMain.handle(methodChannel(name), async (event, ...args) => {
      // Only our own page may call the core (not the compute window, which has no business with it).
      const url = event.senderFrame?.url
      if ((url && !url.startsWith('file://') && !process.env.ELECTRON_RENDERER_URL) || url?.includes('/compute/')) {
        throw new Error('refused: not the app window')
      }
      try {
        return await dispatch(service, name, args)
      } catch (error) {
        // Electron passes only the message across; keep it the user's message.
        throw new Error(error instanceof ApiCallError ? error.payload.message : String(error))
      }
    })
  }
  service.onEvent((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event)
  })
  app.on('activate', () => {
    if (window.isDestroyed()) {
      window = createWindow()
      closeComputeWithApp(window)
    }
  })
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    // Running runs get a checkpoint and stay paused, so they resume where they were next time.
    event.preventDefault()
    closing = true
    void Promise.all([service.close(), manager.close()]).finally(() => app.quit())
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

void start()
