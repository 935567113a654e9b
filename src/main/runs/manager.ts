// Owns the runs of one database: creates them, starts each in its own worker-thread session, forwards
// commands (pause, resume, stop, checkpoint) and the sessions' events, and answers queries from the store.
// The app, the server and the CLI all go through it.
import { EventEmitter } from 'node:events'
import { resolve } from 'node:path'
import { parseRunConfig, type RunConfigInput } from '../../shared/config'
import { RESUMABLE_STATUSES, type ResumeChange, type RunEvent, type RunSummary } from '../../shared/runs'
import { checkDatasetSource, describeDatasetSource, parseDatasetSource } from '../data'
import { processExists } from '../processes'
import * as store from '../store'
import { relayedPort, type ComputeConnector } from './compute-link'
import { DEFAULT_SESSION_SETTINGS, type SessionCommand, type SessionSettings } from './protocol'
import { startSessionWorker, type SessionHandle } from './worker-host'

export interface RunManagerOptions {
  dbPath: string
  cacheDir: string
  nativeBinding?: string
  settings?: Partial<SessionSettings>
  /** Where webgpu trains when it cannot in a worker thread: the desktop app's compute window. */
  compute?: ComputeConnector
}

export interface RunManagerEvent {
  runId: number
  event: RunEvent
}

// Runs with a live session in this process, per database. A pid alone cannot say whether this process
// owns a run or a dead one with the same pid did (pids repeat, in containers even right away).
const sessionsInThisProcess = new Set<string>()

function ownerAliveIn(dbKey: string): store.OwnerAlive {
  return (pid, runId) => (pid === process.pid ? sessionsInThisProcess.has(`${dbKey}#${runId}`) : processExists(pid))
}

export class RunManager extends EventEmitter<{ event: [RunManagerEvent] }> {
  readonly db: store.Db
  private readonly sessions = new Map<number, SessionHandle>()
  private readonly settings: SessionSettings
  private readonly dbKey: string
  private readonly ownerAlive: store.OwnerAlive

  constructor(readonly options: RunManagerOptions) {
    super()
    this.db = store.openDatabase(options.dbPath, { nativeBinding: options.nativeBinding })
    this.settings = { ...DEFAULT_SESSION_SETTINGS, ...options.settings }
    this.dbKey = resolve(options.dbPath)
    this.ownerAlive = ownerAliveIn(this.dbKey)
    store.markInterruptedRuns(this.db, this.ownerAlive)
  }

  /**
   * Validates the config and checks the data set is there (a missing folder fails now, not in the run), and
   * for a conditional run that its images are sorted into class subfolders.
   */
  async createRun(input: { config: RunConfigInput; source: string; name?: string }): Promise<RunSummary> {
    const config = parseRunConfig(input.config)
    const source = parseDatasetSource(input.source)
    await checkDatasetSource(source, { conditional: config.conditional, cacheDir: this.options.cacheDir })
    return store.createRun(this.db, { config, source: describeDatasetSource(source), name: input.name })
  }

  listRuns(): RunSummary[] {
    return store.listRuns(this.db)
  }

  getRun(idOrName: string | number): RunSummary {
    return store.findRun(this.db, idOrName)
  }

  isActive(runId: number): boolean {
    return this.sessions.has(runId)
  }

  /** Starts or resumes training: a new session from the last checkpoint, or resumes a paused session. */
  startRun(runId: number): RunSummary {
    const run = store.getRun(this.db, runId)
    const session = this.sessions.get(runId)
    if (session) {
      session.send({ type: 'resume' })
      return run
    }
    if (!RESUMABLE_STATUSES.includes(run.status) && run.status !== 'running') {
      throw new store.StoreError(`run "${run.name}" is ${run.status}; it cannot train further (start a new run to train longer)`)
    }
    // A run marked running whose owner is gone (it died after this manager opened) is claimed like an interrupted one.
    this.claim(run)
    const key = `${this.dbKey}#${runId}`
    sessionsInThisProcess.add(key)
    // Only a run that may choose webgpu needs the way to the GPU (and may make the app open its compute window).
    const relay = this.options.compute && (run.config.backend === 'auto' || run.config.backend === 'webgpu') ? relayedPort(this.options.compute) : null
    const handle = startSessionWorker(
      { runId, dbPath: this.options.dbPath, cacheDir: this.options.cacheDir, nativeBinding: this.options.nativeBinding, settings: this.settings },
      (event) => this.emit('event', { runId, event }),
      relay?.port
    )
    this.sessions.set(runId, handle)
    void handle.exited.then((crash) => {
      relay?.close()
      this.sessions.delete(runId)
      sessionsInThisProcess.delete(key)
      if (crash) {
        // The worker died without recording an outcome: the run is resumable from its last checkpoint.
        store.updateRun(this.db, runId, { status: 'failed', error: crash })
      }
      store.releaseRun(this.db, runId, process.pid)
      if (crash) {
        this.emit('event', { runId, event: { type: 'status', status: 'failed', error: crash, iteration: store.getRun(this.db, runId).iteration } })
        this.emit('event', { runId, event: { type: 'ended', error: crash } })
      }
    })
    return run
  }

  /**
   * Continues a run from its last checkpoint with new settings (Adam's moments are kept): lower learning
   * rates, the way out of a run that diverged; another backend, after its GPU stopped working. A run paused
   * in memory is checkpointed and its session ended first.
   */
  async resumeWith(runId: number, change: ResumeChange): Promise<RunSummary> {
    if (this.sessions.has(runId)) {
      this.suspendRun(runId)
      await this.whenIdle(runId)
    }
    this.changeSettings(runId, change)
    return this.startRun(runId)
  }

  /** New learning rates or backend for a run that is not training; they apply from its next session on. */
  changeSettings(runId: number, change: ResumeChange): RunSummary {
    const run = store.getRun(this.db, runId)
    if (this.sessions.has(runId)) throw new store.StoreError(`run "${run.name}" is training; its settings change when it is resumed`)
    this.refuseIfOwnedElsewhere(run, 'change its settings')
    // Only the settings given: an undefined one must not reset the run's value to the default.
    const given = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
    store.setRunConfig(this.db, runId, parseRunConfig({ ...run.config, ...given }))
    return store.getRun(this.db, runId)
  }

  pauseRun(runId: number): void {
    this.command(runId, { type: 'pause' })
  }

  stopRun(runId: number): void {
    const run = store.getRun(this.db, runId)
    if (this.sessions.has(runId)) return this.command(runId, { type: 'stop' })
    this.refuseIfOwnedElsewhere(run, 'stop it')
    if (run.status === 'paused' || run.status === 'interrupted' || run.status === 'created') {
      store.updateRun(this.db, runId, { status: 'stopped' })
      this.emit('event', { runId, event: { type: 'status', status: 'stopped', error: null, iteration: run.iteration } })
    }
  }

  /** Checkpoint and leave the run paused, ending its session (the app or the CLI is closing). */
  suspendRun(runId: number): void {
    this.command(runId, { type: 'suspend' })
  }

  checkpointRun(runId: number): void {
    this.command(runId, { type: 'checkpoint' })
  }

  /** Resolves when the run's session (if any) has ended. */
  async whenIdle(runId: number): Promise<void> {
    await this.sessions.get(runId)?.exited
  }

  async deleteRun(runId: number): Promise<void> {
    if (this.sessions.has(runId)) {
      this.command(runId, { type: 'stop' })
      await this.whenIdle(runId)
    } else {
      this.refuseIfOwnedElsewhere(store.getRun(this.db, runId), 'delete it')
    }
    store.deleteRun(this.db, runId)
  }

  /** Suspends every session (checkpoint, run left paused) and closes the database. */
  async close(): Promise<void> {
    const ids = [...this.sessions.keys()]
    for (const id of ids) this.suspendRun(id)
    await Promise.all(ids.map((id) => this.whenIdle(id)))
    this.db.close()
  }

  private claim(run: RunSummary): void {
    const claim = store.claimRun(this.db, run.id, process.pid, this.ownerAlive)
    if (!claim.claimed) {
      throw new store.StoreError(`run "${run.name}" is open in another GAN Studio process (pid ${claim.ownerPid}); pause or close it there first`)
    }
  }

  private refuseIfOwnedElsewhere(run: RunSummary, action: string): void {
    const owner = store.runOwnerPid(this.db, run.id)
    if (owner !== null && this.ownerAlive(owner, run.id)) {
      throw new store.StoreError(`run "${run.name}" is open in another GAN Studio process (pid ${owner}); to ${action}, close it there first`)
    }
  }

  private command(runId: number, command: SessionCommand): void {
    const session = this.sessions.get(runId)
    if (!session) {
      const run = store.getRun(this.db, runId)
      throw new store.StoreError(`run "${run.name}" is not training (it is ${run.status})`)
    }
    session.send(command)
  }
}
