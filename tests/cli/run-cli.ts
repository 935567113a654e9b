// Runs the real `gan-studio` command in a child process, as a user's shell would.
import Database from 'better-sqlite3'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(__dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'gan-studio.js')

/** Bundles the CLI once up front, so parallel test files never race to build it. */
export function buildCli(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.js')], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`building the CLI failed: ${result.stderr}`)
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`gan-studio ${args.join(' ')} timed out\n${stdout}\n${stderr}`))
    }, options.timeoutMs ?? 120_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

export function startCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, GAN_STUDIO_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Resolves when the child's output contains `pattern`, with everything printed so far. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (d: Buffer) => {
      seen += d.toString()
      if (pattern.test(seen)) {
        cleanup()
        resolve(seen)
      }
    }
    const onClose = () => {
      cleanup()
      reject(new Error(`exited before printing ${pattern}:\n${seen}`))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen}`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout!.off('data', onData)
      child.stderr!.off('data', onData)
      child.off('close', onClose)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('close', onClose)
  })
}

/** What the database says of a run right now (read-only, beside the process writing it). */
export function runState(dbPath: string, name: string): { status: string; iteration: number; checkpoint: number | null } | null {
  if (!existsSync(dbPath)) return null
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const run = db.prepare('SELECT id, status, iteration FROM runs WHERE name = ?').get(name) as { id: number; status: string; iteration: number } | undefined
    if (!run) return null
    const checkpoint = db.prepare('SELECT MAX(iteration) AS it FROM checkpoints WHERE run_id = ?').pluck().get(run.id) as number | null
    return { status: run.status, iteration: run.iteration, checkpoint }
  } finally {
    db.close()
  }
}

/**
 * Resolves once the database shows the run in the state `test` looks for (its figures are written as it
 * trains): what tests wait for before sending a signal, instead of a fixed delay.
 */
export async function waitForRun(dbPath: string, name: string, test: (state: NonNullable<ReturnType<typeof runState>>) => boolean, timeoutMs = 120_000): Promise<NonNullable<ReturnType<typeof runState>>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let state: ReturnType<typeof runState> = null
    try {
      state = runState(dbPath, name)
    } catch {
      // The database may be mid-creation; look again.
    }
    if (state && test(state)) return state
    if (Date.now() > deadline) throw new Error(`run "${name}" did not reach the awaited state within ${timeoutMs} ms (last: ${JSON.stringify(state)})`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
