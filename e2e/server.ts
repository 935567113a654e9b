// Starts `gan-studio serve` as a user would, on a free port, with its own database and cache.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')

export interface ServedApp {
  url: string
  process: ChildProcess
  stop(): Promise<void>
}

/**
 * `token` null: the token the data folder keeps (made on the first start), as a user's `gan-studio serve`.
 * `env` is added to the server's environment (HOME, to give the folder browser a known home folder).
 */
export async function serve(dir: string, token: string | null, port = 0, env: Record<string, string> = {}): Promise<ServedApp> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'gan-studio.js'), 'serve', '--port', String(port), ...(token === null ? [] : ['--token', token]), '--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString()
      const match = /Open (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1])
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`gan-studio serve exited (${code}):\n${output}`)))
    setTimeout(() => reject(new Error(`gan-studio serve printed no address:\n${output}`)), 60_000)
  })
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.on('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}

/** Trains a run with the CLI (`gan-studio train <args>`) into the database and cache that `serve(dir)` opens. */
export function trainWithCli(dir: string, args: string[]): void {
  const trained = spawnSync(process.execPath, [join(ROOT, 'bin', 'gan-studio.js'), 'train', ...args, '--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  if (trained.status !== 0) throw new Error(`gan-studio train ${args.join(' ')} failed (${trained.status}):\n${trained.stderr}`)
}
