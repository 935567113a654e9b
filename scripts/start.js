// `npm start`: makes sure Electron's binary is there (downloading it on first start), builds the app and
// launches it. Where Electron cannot be downloaded, says so and points to the browser mode.
'use strict'
const { spawn, spawnSync } = require('node:child_process')
const { existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const electronDir = join(root, 'node_modules', 'electron')

function electronBinary() {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8')
    const binary = join(electronDir, 'dist', relative)
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

function run(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`[gan-studio] ${what} failed.`)
    process.exit(result.status ?? 1)
  }
}

if (!electronBinary()) {
  console.log('[gan-studio] downloading Electron (first start only)...')
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'inherit' })
}
const binary = electronBinary()
if (!binary) {
  console.error(
    '[gan-studio] Electron could not be downloaded, so the desktop app cannot start on this machine.\n' +
      'Everything else works: `npx gan-studio serve` opens the same app in your browser, and `npx gan-studio --help` lists the command line.'
  )
  process.exit(1)
}
run([join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], 'building the app')
run([join(__dirname, 'build-compute.js')], 'building the GPU compute window')
spawnSync(process.execPath, [join(__dirname, 'prepare-electron-sqlite.js')], { cwd: root, stdio: 'inherit' })
const app = spawn(binary, [root], { cwd: root, stdio: 'inherit' })
app.on('exit', (code) => process.exit(code ?? 0))
