// A training session: one run trained from its last checkpoint (or from scratch) until it finishes, is
// paused and closed, stopped, diverges or fails. It owns the run's rows in the store while it lives and
// reports what happens as events. Runs inside a worker thread, but is plain code: tests call it directly.
import { rmSync, writeFileSync } from 'node:fs'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { DataError } from '../data'
import { gridPng } from '../export/png'
import { appendMetrics, appendScalars, getRun, latestCheckpointIteration, openDatabase, saveCheckpoint, saveGrid, updateRun, type Db } from '../store'
import { encodeCheckpoint } from '../training/checkpoint'
import type { ComputeChannel } from '../training/compute/protocol'
import { isGpuFault } from '../training/gpu-fault'
import type { TrainerHandle } from '../training/trainer'
import { DIVERGED_MESSAGE_START, GPU_FAULT_MESSAGE_START, type MetricRow, type RunStatus, type RunEvent } from '../../shared/runs'
import { progressGridShape } from '../../shared/classes'
import type { ComputePlace } from './compute'
import type { SessionHealth } from './health'
import type { SessionCommand, SessionStart } from './protocol'
import type { QualityTracker } from './quality'
import { PreparationWatch, prepareTrainer } from './session-start'

export interface SessionChannel {
  post(event: RunEvent): void
  /** Commands that arrived since the last call, oldest first. */
  drain(): SessionCommand[]
  /** The next command, waiting for one if none is queued. */
  next(): Promise<SessionCommand>
}

type Outcome = 'finished' | 'stopped' | 'suspended' | 'diverged' | 'gpu-fault'

/**
 * `compute`: a channel to where the GPU is (the desktop app's compute window); webgpu then trains there.
 */
export async function runSession(start: SessionStart, channel: SessionChannel, compute?: ComputeChannel): Promise<void> {
  const db = openDatabase(start.dbPath, { nativeBinding: start.nativeBinding })
  let trainer: TrainerHandle | null = null
  let place = null as ComputePlace | null
  // Ownership (owner_pid) is the manager's: it holds the run for as long as this session lives.
  const setStatus = (status: RunStatus, error: string | null = null) => {
    updateRun(db, start.runId, { status, error })
    channel.post({ type: 'status', status, error, iteration: trainer?.iteration ?? getRun(db, start.runId).iteration })
  }
  try {
    setStatus('running')
    const watch = new PreparationWatch(channel)
    let prepared: Awaited<ReturnType<typeof prepareTrainer>> | undefined
    try {
      prepared = await prepareTrainer(db, start, channel, watch.signal, compute, (chosen) => (place = chosen))
    } catch (error) {
      if (!watch.ended) throw error
    } finally {
      watch.close()
    }
    if (watch.ended || !prepared) {
      // Stopped or paused while the images were still being prepared: nothing trained, nothing to save.
      await prepared?.trainer.dispose()
      setStatus(watch.ended ?? 'paused')
      channel.post({ type: 'ended', error: null })
      return
    }
    trainer = prepared.trainer
    const outcome = await new TrainingLoop(db, start, channel, trainer, prepared.quality, prepared.health, setStatus).run(watch.leftover)
    if (outcome === 'finished') setStatus('finished')
    channel.post({ type: 'ended', error: null })
  } catch (error) {
    // A data problem says how to fix it too (a folder without class subfolders for a conditional run, ...).
    const message = error instanceof DataError && error.hint ? `${error.message} ${error.hint}` : error instanceof Error ? error.message : String(error)
    try {
      setStatus('failed', message)
    } finally {
      channel.post({ type: 'ended', error: message })
    }
  } finally {
    await trainer?.dispose()
    place?.close()
    db.close()
  }
}

/**
 * For tests/cli/kill.test.ts only (off unless GAN_STUDIO_TEST_CHECKPOINT_MARKER is set): a marker file
 * exists while a checkpoint is being written, and the write's transaction is held open a while, so the
 * test can make sure, and count, that kills land in the middle of checkpoint writes.
 */
function checkpointWriteProbe(): { begin(): void; hold(): void; end(): void } | null {
  const marker = process.env.GAN_STUDIO_TEST_CHECKPOINT_MARKER
  if (!marker) return null
  const holdMs = Number(process.env.GAN_STUDIO_TEST_CHECKPOINT_HOLD_MS ?? 0)
  return {
    begin: () => writeFileSync(marker, ''),
    hold: () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs),
    end: () => rmSync(marker, { force: true })
  }
}

class TrainingLoop {
  private pending: MetricRow[] = []
  private lastFlush = performance.now()
  private lastCheckpoint = performance.now()
  private lastGridIteration: number | null = null
  private trainSeconds: number
  /** What the run's health checks took in earlier sessions. */
  private readonly healthSecondsBefore: number

  constructor(
    private readonly db: Db,
    private readonly start: SessionStart,
    private readonly channel: SessionChannel,
    private readonly trainer: TrainerHandle,
    private readonly quality: QualityTracker,
    private readonly health: SessionHealth,
    private readonly setStatus: (status: RunStatus, error?: string | null) => void
  ) {
    const run = getRun(db, start.runId)
    this.trainSeconds = run.trainSeconds
    this.healthSecondsBefore = run.healthSeconds
  }

  /** Trains until an outcome; `early` are commands that arrived while the data was being prepared. */
  async run(early: SessionCommand[] = []): Promise<Outcome> {
    try {
      return await this.train(early)
    } catch (error) {
      if (isGpuFault(error)) return this.gpuFault(error)
      throw error
    }
  }

  private async train(early: SessionCommand[]): Promise<Outcome> {
    const { trainer } = this
    if (trainer.iteration === 0) await this.saveGrid()
    const first = await this.handleCommands(early)
    if (first) return first
    while (!trainer.finished) {
      // Between iterations: let commands in (pause, stop, ...) and let events out.
      await yieldToEventLoop()
      const outcome = await this.handleCommands(this.channel.drain())
      if (outcome) return outcome
      const began = performance.now()
      const r = await trainer.step()
      const row = { ...r, wallTime: Date.now() }
      this.pending.push(row)
      if (this.health.afterIteration(row)) this.postHealth()
      const diverged = !Number.isFinite(r.lossD) || !Number.isFinite(r.lossG)
      if (diverged) return this.diverge(r.iteration, r.lossD, r.lossG)
      const now = performance.now()
      if (now - this.lastFlush >= this.start.settings.flushMs || this.pending.length >= this.start.settings.flushRows) this.flush()
      if (r.iteration % trainer.config.sampleEvery === 0 || trainer.finished) await this.saveGrid()
      if (this.quality.due(r.iteration, trainer.finished)) await this.measureQuality(r.seconds)
      const minutes = (now - this.lastCheckpoint) / 60_000
      if (trainer.finished) await this.checkpoint('finish')
      else if (r.iteration % trainer.config.checkpointEvery === 0 || minutes >= this.start.settings.checkpointMinutes) await this.checkpoint('interval')
      this.trainSeconds += (performance.now() - began) / 1000
    }
    this.flush()
    return 'finished'
  }

  /** Applies queued commands; returns an outcome when one ends the session. */
  private async handleCommands(commands: SessionCommand[]): Promise<Outcome | null> {
    for (const command of commands) {
      switch (command.type) {
        case 'checkpoint':
          await this.checkpoint('manual')
          break
        case 'stop':
          await this.recordHalt(true)
          await this.checkpoint('stop')
          this.setStatus('stopped')
          return 'stopped'
        case 'suspend':
          await this.recordHalt(false)
          await this.checkpoint('pause')
          this.setStatus('paused')
          return 'suspended'
        case 'pause': {
          await this.recordHalt(false)
          await this.checkpoint('pause')
          this.setStatus('paused')
          const outcome = await this.waitWhilePaused()
          if (outcome) return outcome
          break
        }
        case 'resume':
          break
      }
    }
    return null
  }

  /** Everything stays in memory while paused; only resume, stop or suspend end the wait. */
  private async waitWhilePaused(): Promise<Outcome | null> {
    for (;;) {
      const command = await this.channel.next()
      if (command.type === 'resume') {
        this.setStatus('running')
        return null
      }
      if (command.type === 'stop') {
        this.setStatus('stopped')
        return 'stopped'
      }
      if (command.type === 'suspend') return 'suspended'
      // Asked for while paused: saved at the paused iteration (tests use it to see that nothing trained).
      if (command.type === 'checkpoint') await this.checkpoint('manual')
    }
  }

  private diverge(iteration: number, lossD: number, lossG: number): Outcome {
    this.flush()
    const last = latestCheckpointIteration(this.db, this.start.runId)
    // No checkpoint of the diverged weights: resuming continues from the last good one.
    this.setStatus(
      'paused',
      `${DIVERGED_MESSAGE_START} at iteration ${iteration} (Loss_D ${lossD}, Loss_G ${lossG}). ` +
        `Resuming continues from the last checkpoint${last === null ? ' (none yet: from the start)' : ` (iteration ${last})`}; ` +
        `with the same learning rates it would diverge again there, so resume with lower learning rates ` +
        `(the app's "Continue at half the learning rates", or gan-studio resume --lr-d/--lr-g).`
    )
    return 'diverged'
  }

  /**
   * The GPU went away under the run (lost device, out of memory): what it computed since the last checkpoint
   * cannot be trusted or saved. The run pauses there, and can resume on the CPU at once.
   */
  private gpuFault(error: Error): Outcome {
    this.flush()
    const last = latestCheckpointIteration(this.db, this.start.runId)
    // GpuFaultError's messages begin "the GPU ...": the run's message then begins as hasGpuFault expects.
    const what = GPU_FAULT_MESSAGE_START + error.message.slice(GPU_FAULT_MESSAGE_START.length)
    this.setStatus(
      'paused',
      `${what}. It happened after iteration ${this.trainer.iteration}; the run is paused at its last checkpoint` +
        `${last === null ? ' (none yet: it starts over)' : ` (iteration ${last})`}: resume it on the CPU (the app's "Resume on the CPU", ` +
        `or gan-studio resume <run> --backend wasm), or on the GPU once it works again.`
    )
    return 'gpu-fault'
  }

  private flush(): void {
    const rows = this.pending
    this.pending = []
    this.lastFlush = performance.now()
    if (rows.length === 0) return
    this.db.transaction(() => {
      appendMetrics(this.db, this.start.runId, rows)
      updateRun(this.db, this.start.runId, { iteration: this.trainer.iteration, epoch: this.trainer.epoch, trainSeconds: this.trainSeconds, healthSeconds: this.healthSecondsBefore + this.health.seconds })
    })()
    this.channel.post({ type: 'metrics', rows })
  }

  private async measureQuality(secondsPerIteration: number): Promise<void> {
    const iteration = this.trainer.iteration
    const values = await this.quality.evaluate(secondsPerIteration)
    appendScalars(this.db, this.start.runId, Object.entries(values).map(([name, value]) => ({ name, iteration, value })))
    this.channel.post({ type: 'scalars', iteration, values })
    if (values.swd !== undefined && this.health.afterSwd(iteration, values.swd)) this.postHealth()
  }

  /** A paused or stopped run shows where it got to: samples at this iteration, and SWD when due. */
  private async recordHalt(stopping: boolean): Promise<void> {
    if (this.lastGridIteration !== this.trainer.iteration) await this.saveGrid()
    if (this.quality.dueOnHalt(this.trainer.iteration, stopping)) await this.measureQuality(0)
  }

  private async saveGrid(): Promise<void> {
    const { trainer } = this
    const { config } = trainer
    // A conditional run's grid: a row per class (its count need not be fixedNoiseCount).
    const { count, perRow } = progressGridShape(trainer.classCount, config.fixedNoiseCount)
    const images = await trainer.renderFixedNoise()
    const { iteration } = trainer
    // Before the PNG is encoded: the samples' diversity is read from the same images.
    const health = this.health.afterGrid(iteration, images, count, config.imageSize, trainer.channels)
    const png = await gridPng(images, count, config.imageSize, trainer.channels, { perRow })
    saveGrid(this.db, this.start.runId, iteration, count, png)
    this.lastGridIteration = iteration
    this.channel.post({ type: 'grid', iteration })
    if (health.figures) this.channel.post({ type: 'scalars', iteration, values: health.figures })
    if (health.changed) this.postHealth()
  }

  private postHealth(): void {
    this.channel.post({ type: 'health', alerts: this.health.alerts })
  }

  private async checkpoint(reason: string): Promise<void> {
    const snapshot = await this.trainer.snapshot()
    // Metrics up to the checkpoint are on disk first: a checkpoint never points past its figures.
    this.flush()
    const state = encodeCheckpoint(snapshot, this.trainSeconds)
    const probe = checkpointWriteProbe()
    probe?.begin()
    const info = saveCheckpoint(
      this.db,
      this.start.runId,
      { iteration: this.trainer.iteration, epoch: this.trainer.epoch, reason, state },
      this.start.settings.keepCheckpoints,
      probe?.hold
    )
    probe?.end()
    this.lastCheckpoint = performance.now()
    this.channel.post({ type: 'checkpoint', checkpoint: info })
  }
}
