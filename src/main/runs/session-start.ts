// A session's start: the backend, the data and the model, restored from the run's newest checkpoint, with
// what the session tells the user about its choices; and the watch for commands while that takes its time.
import { checkConditionalClasses, classOfPath, DataError, describeDatasetSource, parseDatasetSource, prepareDataset, type PreparedDataset } from '../data'
import { getRun, loadCheckpoint, truncateGrids, truncateMetrics, truncateScalars, updateRun, upsertDataset, type Db } from '../store'
import { passedOverNotes, type BackendInfo } from '../training/backend'
import { decodeCheckpoint } from '../training/checkpoint'
import type { ComputeChannel } from '../training/compute/protocol'
import { fastEngineFallbackNote } from '../training/fast-engine'
import type { TrainerHandle } from '../training/trainer'
import type { RunSummary } from '../../shared/runs'
import type { RunConfig } from '../../shared/config'
import type { DatasetClasses } from '../../shared/dataset'
import { describeModel } from '../../shared/model-size'
import { chooseComputePlace, type ComputePlace } from './compute'
import { SessionHealth } from './health'
import type { SessionCommand, SessionStart } from './protocol'
import { QualityTracker } from './quality'
import type { SessionChannel } from './session'

/**
 * Listens for commands while the data set is prepared (which can take minutes for a large folder): stop,
 * pause or suspend abort the preparation; anything else is kept for the training loop.
 */
export class PreparationWatch {
  private readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout
  readonly leftover: SessionCommand[] = []
  ended: 'stopped' | 'paused' | null = null

  constructor(private readonly channel: SessionChannel) {
    this.timer = setInterval(() => this.poll(), 50)
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  close(): void {
    clearInterval(this.timer)
    this.poll()
  }

  private poll(): void {
    for (const command of this.channel.drain()) {
      if (command.type === 'stop') this.ended = 'stopped'
      else if (command.type === 'pause' || command.type === 'suspend') this.ended ??= 'paused'
      else this.leftover.push(command)
    }
    if (this.ended && !this.controller.signal.aborted) this.controller.abort()
  }
}

/** Backend, data and model; restored from the newest checkpoint when the run has one. */
export async function prepareTrainer(
  db: Db,
  start: SessionStart,
  channel: SessionChannel,
  signal: AbortSignal,
  compute: ComputeChannel | undefined,
  placed: (place: ComputePlace) => void
): Promise<{ trainer: TrainerHandle; quality: QualityTracker; health: SessionHealth }> {
  const run = getRun(db, start.runId)
  const place = await chooseComputePlace(run.config.backend, compute)
  placed(place)
  const { backend } = place
  const source = parseDatasetSource(run.source)
  const dataset = await prepareDataset(source, {
    size: run.config.imageSize,
    channels: run.config.channels,
    cacheDir: start.cacheDir,
    signal,
    onProgress: (progress) => channel.post({ type: 'ingest', progress })
  })
  channel.post({
    type: 'dataset',
    source: describeDatasetSource(source),
    count: dataset.count,
    size: dataset.size,
    channels: dataset.channels,
    skipped: dataset.skipped,
    fromCache: dataset.fromCache,
    classes: dataset.classes
  })
  // The files are decoded now: a class whose every file failed to decode is found out here.
  if (run.config.conditional) checkClassesOf(dataset, run.lastCheckpoint === null ? null : run.classes)
  const datasetId = upsertDataset(db, {
    key: dataset.key,
    source: describeDatasetSource(source),
    size: dataset.size,
    channels: dataset.channels,
    count: dataset.count,
    files: dataset.files,
    skipped: dataset.skipped,
    classes: dataset.classes
  })
  const trainer = await place.createTrainer(run.config, dataset)
  let trainSeconds = 0
  const checkpoint = loadCheckpoint(db, start.runId)
  try {
    if (checkpoint) {
      const restored = decodeCheckpoint(checkpoint.state)
      await trainer.restore(restored.snapshot)
      trainSeconds = restored.trainSeconds
    }
  } catch (error) {
    await trainer.dispose()
    throw error
  }
  const backendNotes = [...passedOverNotes(backend), ...sessionNotes(run, run.config, backend, checkpoint !== undefined && checkpoint !== null)]
  // Figures and grids after the checkpoint belong to iterations about to be redone.
  db.transaction(() => {
    truncateMetrics(db, start.runId, trainer.iteration)
    truncateScalars(db, start.runId, trainer.iteration)
    truncateGrids(db, start.runId, checkpoint ? trainer.iteration : -1)
    updateRun(db, start.runId, {
      backend: backend.name,
      backendDetail: backend.detail,
      backendNotes,
      channels: dataset.channels,
      classes: run.config.conditional ? (dataset.classes ?? undefined) : undefined,
      datasetId,
      totalIterations: trainer.totalIterations,
      iteration: trainer.iteration,
      epoch: trainer.epoch,
      trainSeconds
    })
  })()
  channel.post({
    type: 'started',
    backend: backend.name,
    backendDetail: backend.detail,
    backendNotes,
    model: describeModel(run.config, dataset.channels, dataset.classes?.names.length ?? 0),
    totalIterations: trainer.totalIterations,
    iteration: trainer.iteration,
    resumedFrom: checkpoint ? trainer.iteration : null
  })
  // After the truncation: a resumed run's alerts are found again from the figures it keeps.
  const health = SessionHealth.start(db, start.runId, run.config, dataset, trainer.iteration)
  return { trainer, quality: new QualityTracker(dataset, trainer), health }
}

/**
 * A conditional run's data set must have classes, each with images, and every image in one of them; a run
 * with a checkpoint, the classes it was trained on (its model has one input per class).
 */
function checkClassesOf(dataset: PreparedDataset, trainedOn: DatasetClasses | null): void {
  const unlabeled = dataset.files.filter((file) => classOfPath(file) === null)
  const where = describeDatasetSource(dataset.source)
  const classes = checkConditionalClasses(dataset.classes, where, dataset.skipped, unlabeled)
  if (trainedOn && trainedOn.names.join('\u0000') !== classes.names.join('\u0000')) {
    const list = (c: DatasetClasses) => `${c.names.length} (${c.names.join(', ')})`
    throw new DataError(`The classes of ${where} changed since this run's last checkpoint: it trained on ${list(trainedOn)}, the data now has ${list(classes)}.`, {
      hint: 'A conditional model has one input per class: put the class subfolders back as they were to continue, or start a new run on the new classes.'
    })
  }
}

/**
 * What the user should know about how this session trains beyond the backend's name: an option its fast
 * engine cannot run (and what the fallback costs), a checkpoint written on another backend.
 */
function sessionNotes(run: RunSummary, config: RunConfig, backend: BackendInfo, fromCheckpoint: boolean): string[] {
  const notes: string[] = []
  const fallback = backend.elsewhere ? null : fastEngineFallbackNote(config, backend.tfBackend)
  if (fallback) notes.push(fallback)
  if (fromCheckpoint && run.backend !== null && run.backend !== backend.name) {
    notes.push(
      `The checkpoint was written on ${run.backend}, training continues on ${backend.name}: the same maths, so the losses ` +
        'can differ from an uninterrupted run in the last digits'
    )
  }
  return notes
}
