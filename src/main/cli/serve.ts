// `gan-studio serve`: the app's UI in a browser, over the same API as the desktop app.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { GanService } from '../api/service'
import { findRendererDir } from '../server/static-files'
import { startServer } from '../server'
import { isAllInterfaces, networkAddresses } from '../server/addresses'
import { openInBrowser } from '../server/open-browser'
import { Transfers } from '../transfers'
import { APP_VERSION } from '../version'
import { openManager, STORE_HELP, STORE_OPTIONS, storePaths } from './context'
import { intOption, parseCommandLine, type OptionSpec } from './usage'

export const SERVE_HELP = `Usage: gan-studio serve [--port N] [--host 127.0.0.1] [--open] [--db <file>]

Serves the GAN Studio UI and its API to a browser. Open the address it prints: it carries the access
token, and requests without it are refused. Training runs here, in this process.
  --port N               port to listen on (default 4317; 0 picks a free one)
  --host H               address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every
                         network interface, so that other machines can open it with the token)
  --token T              the access token (default: a random one, kept in the data folder so that open
                         pages keep working after a restart; delete serve-token there to change it)
  --open                 open the address in the default browser (GAN_STUDIO_BROWSER names another
                         command to open it with; none: only print it)
${STORE_HELP}`

const OPTIONS: OptionSpec = { ...STORE_OPTIONS, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, open: { type: 'boolean' } }

/** The token of this data folder: made once, readable by its owner only. */
function persistentToken(dataDir: string): string {
  const file = join(dataDir, 'serve-token')
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim()
    if (saved.length >= 16) return saved
  }
  const token = randomBytes(18).toString('base64url')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, token, { mode: 0o600 })
  return token
}

export async function serveCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseCommandLine(args, OPTIONS)
  if (values.help) return log(SERVE_HELP)
  const port = intOption(values, 'port') ?? 4317
  const rendererDir = findRendererDir()
  if (!rendererDir) throw new Error('the UI is not built yet: run `npm run build` first')
  const manager = openManager(values, { create: true })
  const { dbPath, cacheDir } = storePaths(values)
  // Uploads and downloads a killed server left half-made are cleared before anything else happens.
  const transfers = new Transfers(dirname(dbPath))
  await transfers.clearLeftovers()
  const service = new GanService({ manager, cacheDir, dataDir: dirname(dbPath), transport: 'websocket', version: APP_VERSION, transfers })
  const host = String(values.host ?? '127.0.0.1')
  const token = values.token ? String(values.token) : persistentToken(dirname(dbPath))
  const server = await startServer({ api: service, host, port, token, rendererDir, transfers })
  // Listening for Ctrl-C before the address is printed: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false
    const stop = async (signal: string) => {
      if (stopping) return log(`${signal}: still pausing the running runs; the server stops when they are saved`)
      stopping = true
      log(`${signal}: pausing running runs (a checkpoint each) and stopping the server`)
      await server.close()
      await service.close()
      await manager.close()
      process.off('SIGINT', onInterrupt)
      process.off('SIGTERM', onTerminate)
      resolve()
    }
    const onInterrupt = () => void stop('SIGINT')
    const onTerminate = () => void stop('SIGTERM')
    process.on('SIGINT', onInterrupt)
    process.on('SIGTERM', onTerminate)
  })
  log(`GAN Studio is serving ${dbPath}`)
  if (isAllInterfaces(host)) {
    // 0.0.0.0 is where it listens, not an address to type: name ones that reach it.
    log(`Listening on all network interfaces (${host}), port ${server.port}: whoever can reach it and has the token can use it.`)
    log(`Open ${server.url} on this machine, or from another one:`)
    for (const address of networkAddresses(host, server.port, token)) log(`  ${address}`)
  } else {
    log(`Open ${server.url}`)
  }
  if (values.open) await openInBrowser(server.url, log)
  log('Ctrl-C stops the server (running runs are paused at a checkpoint first).')
  await stopped
}
