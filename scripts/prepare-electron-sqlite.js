// npm install step: builds better-sqlite3 a second time, for Electron's ABI, into native/electron/, so the
// desktop app can open the run database. Node keeps its own build in node_modules for the tests and the
// CLI. Offline (no Electron headers) this says so plainly and exits 0: the CLI and browser mode still work.
'use strict'
const { spawnSync } = require('node:child_process')
const { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { dirname, join } = require('node:path')

const root = join(__dirname, '..')
const target = join(root, 'native', 'electron', 'better_sqlite3.node')

function log(line) {
  process.stdout.write(`[gan-studio] ${line}\n`)
}

/** The ABI a .node file was built for, read from the error Node gives when it cannot load it. */
function abiOf(binary) {
  try {
    require(binary)
    return String(process.versions.modules) // it loaded in Node: a Node build
  } catch (error) {
    const match = /NODE_MODULE_VERSION (\d+)/.exec(String(error && error.message))
    return match ? match[1] : null
  }
}

function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')]
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'))
  } catch {}
  return candidates.find((c) => c && existsSync(c))
}

function main() {
  const electronPackage = join(root, 'node_modules', 'electron', 'package.json')
  const sqlitePackage = join(root, 'node_modules', 'better-sqlite3', 'package.json')
  if (!existsSync(electronPackage) || !existsSync(sqlitePackage)) return log('Electron or better-sqlite3 is not installed; skipping the Electron build of better-sqlite3.')
  const version = JSON.parse(readFileSync(electronPackage, 'utf8')).version
  const abi = readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim()
  if (existsSync(target) && abiOf(target) === abi) return log(`better-sqlite3 for Electron ${version} (ABI ${abi}) is ready.`)

  const gyp = nodeGyp()
  if (!gyp) return log('node-gyp was not found; the desktop app cannot open its database until better-sqlite3 is built for Electron.')
  const work = mkdtempSync(join(tmpdir(), 'gan-sqlite-electron-'))
  try {
    cpSync(dirname(sqlitePackage), work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })
    // Electron's headers, not Node's: an npmrc `nodedir` would silently build for Node's ABI.
    const env = { ...process.env, npm_config_nodedir: '', npm_config_runtime: 'electron', npm_config_target: version, npm_config_disturl: 'https://electronjs.org/headers' }
    delete env.npm_config_nodedir
    const result = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], {
      cwd: work,
      env,
      encoding: 'utf8',
      timeout: 10 * 60_000
    })
    const built = join(work, 'build', 'Release', 'better_sqlite3.node')
    if (result.status !== 0 || !existsSync(built)) {
      const output = `${result.stderr || ''}${result.stdout || ''}${result.error || ''}`
      const network = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(output)
      const why = network ? "Electron's headers could not be downloaded from electronjs.org" : output.split('\n').filter((l) => /gyp ERR!/.test(l)).slice(0, 2).join(' | ')
      return log(`could not build better-sqlite3 for Electron ${version} (${why || 'no output'}). The CLI and \`gan-studio serve\` work; the desktop app needs this build: run \`npm run postinstall\` where electronjs.org can be reached.`)
    }
    const builtAbi = abiOf(built)
    if (builtAbi !== abi) return log(`the better-sqlite3 build came out for ABI ${builtAbi}, not Electron's ${abi}; not using it.`)
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(built, target)
    log(`built better-sqlite3 for Electron ${version} (ABI ${abi}) into native/electron/.`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

try {
  main()
} catch (error) {
  log(`could not prepare better-sqlite3 for Electron: ${error && error.message}`)
}
