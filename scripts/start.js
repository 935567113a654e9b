// `npm start`: the one command that runs the app everywhere. It builds what is out of date, then opens the
// desktop app (downloading Electron on first start). Where Electron cannot be downloaded or cannot start
// (no display, a blocked download, a missing library), it starts the browser mode instead: the same app,
// served to the default browser, with Ctrl-C to end it. Options after `--` go to the browser mode
// (`npm start -- --port 8080`); GAN_STUDIO_BROWSER picks the command that opens the page (none: print only);
// GAN_STUDIO_ELECTRON_BINARY names the Electron binary to use (no download is tried then).
'use strict'
const { spawn, spawnSync } = require('node:child_process')
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')

const root = join(__dirname, '..')
const electronDir = join(root, 'node_modules', 'electron')
const serveArgs = process.argv.slice(2)
const say = (line) => console.log(`[gan-studio] ${line}`)

function electronBinary() {
  if (process.env.GAN_STUDIO_ELECTRON_BINARY) {
    return existsSync(process.env.GAN_STUDIO_ELECTRON_BINARY) ? process.env.GAN_STUDIO_ELECTRON_BINARY : null
  }
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8')
    const binary = join(electronDir, 'dist', relative)
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

/** Electron's binary, downloaded on first start; null (and why) where that cannot be done. */
function findOrDownloadElectron() {
  const found = electronBinary()
  if (found) return { binary: found }
  if (process.env.GAN_STUDIO_ELECTRON_BINARY) return { why: `there is no Electron binary at ${process.env.GAN_STUDIO_ELECTRON_BINARY}` }
  say('downloading Electron (first start only)...')
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8' })
  const binary = electronBinary()
  if (binary) return { binary }
  // One line of the installer's error, not its stack trace.
  const reason = `${install.stderr ?? ''}\n${install.error?.message ?? ''}`.split('\n').find((line) => /error/i.test(line))
  return { why: `Electron could not be downloaded${reason ? ` (${reason.trim()})` : ''}` }
}

function newestFile(dir) {
  let newest = 0
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name)
    if (item.isDirectory()) newest = Math.max(newest, newestFile(path))
    else if (!/\.test\.ts$/.test(item.name)) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** The app is built when every output is newer than every source: a second start skips the build. */
function buildIsCurrent() {
  const outputs = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html', 'out/compute/index.html'].map((f) => join(root, f))
  if (!outputs.every((f) => existsSync(f))) return false
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs))
  const sources = Math.max(newestFile(join(root, 'src')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs)
  return sources < built
}

function build() {
  if (buildIsCurrent()) return
  say('building the app...')
  const steps = [
    [[join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], 'building the app'],
    [[join(__dirname, 'build-compute.js')], 'building the GPU compute window']
  ]
  for (const [args, what] of steps) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
    if (result.status !== 0) {
      console.error(`[gan-studio] ${what} failed (the messages above say why).`)
      process.exit(result.status ?? 1)
    }
  }
}

/** The browser mode in this process, as `gan-studio serve --open`: Ctrl-C ends it (exit 0). */
function startBrowserMode(why) {
  say(`${why}, so the desktop window cannot open here.`)
  say('Starting the same app in your browser instead (`gan-studio serve`):')
  process.argv = [process.argv[0], join(root, 'bin', 'gan-studio.js'), 'serve', '--open', ...serveArgs]
  require(join(root, 'bin', 'gan-studio.js'))
}

/** Electron; when it exits before its window opened (no display, a missing library), the browser mode. */
function startDesktop(binary) {
  spawnSync(process.execPath, [join(__dirname, 'prepare-electron-sqlite.js')], { cwd: root, stdio: 'inherit' })
  const readyDir = mkdtempSync(join(tmpdir(), 'gan-studio-start-'))
  const readyFile = join(readyDir, 'ready')
  const app = spawn(binary, [root], { cwd: root, stdio: ['inherit', 'inherit', 'pipe'], env: { ...process.env, GAN_STUDIO_READY_FILE: readyFile } })
  // Ctrl-C reaches Electron too, which quits (pausing running runs); this process then exits with it.
  const waitForApp = () => undefined
  process.on('SIGINT', waitForApp)
  let errors = ''
  let done = false
  app.stderr.on('data', (data) => {
    errors += data
    process.stderr.write(data)
  })
  const ended = (code, signal, spawnError) => {
    if (done) return
    done = true
    process.off('SIGINT', waitForApp)
    const opened = existsSync(readyFile)
    rmSync(readyDir, { recursive: true, force: true })
    if (opened) return process.exit(code ?? 0)
    const said = errors.split('\n').map((l) => l.trim()).find((l) => l.length > 0)
    const how = spawnError ? spawnError.message : signal ? `signal ${signal}` : `exit code ${code}`
    startBrowserMode(`Electron could not start (${how}${said ? `: ${said}` : ''})`)
  }
  app.once('error', (error) => ended(null, null, error))
  // 'close', not 'exit': by then all it wrote to stderr has arrived.
  app.once('close', (code, signal) => ended(code, signal, null))
}

build()
const electron = findOrDownloadElectron()
if (electron.binary) startDesktop(electron.binary)
else startBrowserMode(electron.why)
