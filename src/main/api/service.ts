// The core side of the API contract (src/shared/api.ts): what the UI can ask, answered from the run
// manager, the store and the data pipeline. Transport-free: IPC and WebSocket both call this object.
import type {
  ApiEvent,
  AppInfo,
  BackendReport,
  DatasetPreview,
  DownloadRequest,
  DownloadTicket,
  ExportRequest,
  ExportResult,
  FolderListing,
  GanApi,
  GeneratedImages,
  GeneratorChoice,
  GeneratorInfo,
  GridImage,
  PathInfo,
  StepTiming,
  UploadRequest,
  UploadTicket
} from '../../shared/api'
import { latentLength, latentsWithClasses } from '../../shared/classes'
import { parseRunConfig, type RunConfigInput } from '../../shared/config'
import type { DirectionMethod, LatentDirections, SavedDirection } from '../../shared/latent-directions'
import { MEMORIZATION_SAMPLES, MEMORIZATION_SCALAR, MEMORIZATION_SEED, type MemorizationResult, type NearestImages } from '../../shared/nearest'
import { fixedNoise } from '../../shared/noise'
import type { CheckpointInfo, ResumeChange, MetricSeries, RunSummary, SavedLatent, ScalarSeries } from '../../shared/runs'
import { GeneratorHost } from '../explore/generator-host'
import { describeDatasetSource, parseDatasetSource, prepareDataset, type PreparedDataset } from '../data'
import { NearestHost } from '../nearest/nearest-host'
import type { TrainingSetRef } from '../nearest/protocol'
import type { RunManager } from '../runs/manager'
import * as store from '../store'
import { StepTimer } from '../timing/step-timer'
import { availableBackends } from '../training/backend/available'
import type { Transfers } from '../transfers'
import { describeBackendsHere } from './backends'
import { writeExport } from './exports'
import { browseFolder, describePath, isImageName, typedDataSource } from './folders'
import { datasetGridPng, pngDataUrl } from './images'

export interface ServiceOptions {
  manager: RunManager
  cacheDir: string
  dataDir: string
  transport: AppInfo['transport']
  version: string
  /** The native folder dialog, where there is one (Electron). */
  pickFolder?: () => Promise<string | null>
  /** The native save dialog, where there is one (Electron). */
  chooseSavePath?: (request: { title: string; defaultName: string; folder: boolean }) => Promise<string | null>
  /** Downloads and uploads, in the browser mode (`gan-studio serve`), where the page is on another machine. */
  transfers?: Transfers
}

const PREVIEW_COUNT = 64

/** A conditional run's number of classes; 0 for others. */
function conditionalClasses(run: RunSummary): number {
  return run.config.conditional ? (run.classes?.names.length ?? 0) : 0
}

/** The vectors back to back, each checked to fit the run's generator: nz values, and a conditional one's class weights. */
function latentsOf(run: RunSummary, vectors: number[][]): Float32Array {
  const { nz } = run.config
  const classes = conditionalClasses(run)
  const length = latentLength(nz, classes)
  const wrong = vectors.findIndex((v) => v.length !== length)
  if (wrong >= 0) {
    const takes = classes === 0 ? `${nz}` : `${length} (z: ${nz}, then one weight for each of its ${classes} classes)`
    throw new Error(`latent vector ${wrong + 1} has ${vectors[wrong].length} values; this generator takes ${takes}`)
  }
  const latents = new Float32Array(vectors.length * length)
  vectors.forEach((v, i) => latents.set(v, i * length))
  return latents
}

export class GanService implements GanApi {
  private readonly listeners = new Set<(event: ApiEvent) => void>()
  /** The last prepared data set, kept for previews and the real-images panel. */
  private dataset: { key: string; dataset: PreparedDataset } | null = null
  private readonly generator: GeneratorHost
  private readonly stepTimer: StepTimer
  private backendReport: Promise<BackendReport> | null = null
  private readonly nearest: NearestHost

  constructor(private readonly options: ServiceOptions) {
    options.manager.on('event', ({ runId, event }) => this.emit({ type: 'run', runId, event }))
    this.generator = new GeneratorHost({ dbPath: options.manager.options.dbPath, nativeBinding: options.manager.options.nativeBinding })
    this.stepTimer = new StepTimer({ runsTraining: () => options.manager.listRuns().filter((r) => r.status === 'running').length })
    this.nearest = new NearestHost({ cacheDir: options.cacheDir })
  }

  /** Stops the generator and nearest-image workers; the run manager is closed by its owner. */
  async close(): Promise<void> {
    await Promise.all([this.generator.close(), this.stepTimer.close(), this.nearest.close()])
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  private get db(): store.Db {
    return this.options.manager.db
  }

  async appInfo(): Promise<AppInfo> {
    return {
      version: this.options.version,
      transport: this.options.transport,
      nativeFolderDialog: this.options.pickFolder !== undefined,
      dataDir: this.options.dataDir,
      backends: availableBackends()
    }
  }

  async describeBackends(): Promise<BackendReport> {
    this.backendReport ??= describeBackendsHere(this.generator, this.options.manager.options.compute)
    return this.backendReport
  }

  async listRuns(): Promise<RunSummary[]> {
    return this.options.manager.listRuns()
  }

  async getRun(runId: number): Promise<RunSummary> {
    return store.getRun(this.db, runId)
  }

  async createRun(request: { source: string; config: RunConfigInput; name?: string }): Promise<RunSummary> {
    const run = await this.options.manager.createRun({ ...request, source: typedDataSource(request.source) })
    this.emit({ type: 'runs-changed' })
    return run
  }

  async startRun(runId: number, change?: ResumeChange): Promise<RunSummary> {
    if (change) return this.options.manager.resumeWith(runId, change)
    return this.options.manager.startRun(runId)
  }

  async pauseRun(runId: number): Promise<void> {
    this.options.manager.pauseRun(runId)
  }

  async stopRun(runId: number): Promise<void> {
    this.options.manager.stopRun(runId)
  }

  async checkpointRun(runId: number): Promise<void> {
    this.options.manager.checkpointRun(runId)
  }

  async renameRun(runId: number, name: string): Promise<RunSummary> {
    store.renameRun(this.db, runId, name)
    this.emit({ type: 'runs-changed' })
    return store.getRun(this.db, runId)
  }

  async deleteRun(runId: number): Promise<void> {
    await this.options.manager.deleteRun(runId)
    this.emit({ type: 'runs-changed' })
  }

  async previewDataset(request: { source: string; size: 32 | 64; channels?: 1 | 3; previewId: string }): Promise<DatasetPreview> {
    const dataset = await this.prepare(request.source, request.size, request.channels, (progress) =>
      this.emit({ type: 'preview', previewId: request.previewId, progress })
    )
    return {
      source: describeDatasetSource(dataset.source),
      count: dataset.count,
      imageFiles: dataset.count + dataset.skipped.filter((s) => isImageName(s.path)).length,
      size: dataset.size,
      channels: dataset.channels,
      skipped: dataset.skipped,
      classes: dataset.classes,
      gridDataUrl: pngDataUrl(await datasetGridPng(dataset, PREVIEW_COUNT)),
      fromCache: dataset.fromCache
    }
  }

  async measureStep(request: { config: RunConfigInput; channels: 1 | 3; classes?: number }): Promise<StepTiming> {
    const config = parseRunConfig(request.config)
    const classes = request.classes ?? 0
    const fromCache = this.stepTimer.cached(config, request.channels, classes) !== undefined
    const { secondsPerIteration, backend, backendDetail, runsTraining } = await this.stepTimer.measure(config, request.channels, classes)
    return { secondsPerIteration, backend, backendDetail, runsTraining, fromCache }
  }

  async getMetrics(runId: number, sinceIteration: number): Promise<MetricSeries> {
    return store.readMetrics(this.db, runId, sinceIteration)
  }

  async getScalars(runId: number): Promise<Record<string, ScalarSeries>> {
    return store.readScalars(this.db, runId)
  }

  async listGrids(runId: number): Promise<number[]> {
    return store.listGridIterations(this.db, runId)
  }

  async getGrid(runId: number, iteration?: number): Promise<GridImage | null> {
    const grid = store.loadGrid(this.db, runId, iteration)
    return grid ? { iteration: grid.iteration, dataUrl: pngDataUrl(grid.png) } : null
  }

  async getRealGrid(runId: number, count: number): Promise<GridImage> {
    const run = store.getRun(this.db, runId)
    const dataset = await this.prepare(run.source, run.config.imageSize, run.channels ?? run.config.channels)
    return { iteration: run.iteration, dataUrl: pngDataUrl(await datasetGridPng(dataset, count, run.config.seed)) }
  }

  async listCheckpoints(runId: number): Promise<CheckpointInfo[]> {
    return store.listCheckpoints(this.db, runId)
  }

  async pinCheckpoint(runId: number, iteration: number, pinned: boolean): Promise<CheckpointInfo[]> {
    store.setCheckpointPinned(this.db, runId, iteration, pinned)
    return store.listCheckpoints(this.db, runId)
  }

  async pickFolder(): Promise<string | null> {
    if (!this.options.pickFolder) throw new Error('there is no native folder dialog in the browser; use the folder browser')
    return this.options.pickFolder()
  }

  async browseFolder(path?: string): Promise<FolderListing> {
    return browseFolder(path)
  }

  async describeGenerator(runId: number): Promise<GeneratorInfo> {
    const run = store.getRun(this.db, runId)
    const checkpoints = store.listCheckpoints(this.db, runId).map((c) => c.iteration)
    if (checkpoints.length === 0 || run.channels === null) {
      throw new Error(`run "${run.name}" has no checkpoint yet: train it a little first (a checkpoint is saved on pause and stop)`)
    }
    return { runId, nz: run.config.nz, imageSize: run.config.imageSize, channels: run.channels, classes: run.classes?.names ?? [], checkpoints, hasAverage: run.config.ema > 0 }
  }

  async generate(request: { runId: number; iteration: number | null; vectors: number[][]; channel?: string; generator?: GeneratorChoice }): Promise<GeneratedImages> {
    const latents = latentsOf(store.getRun(this.db, request.runId), request.vectors)
    const result = await this.generator.generate(request.runId, request.iteration, latents, { channel: request.channel, generator: request.generator })
    return { iteration: result.iteration, images: result.images.map(pngDataUrl), seconds: result.seconds }
  }

  async listLatents(runId: number): Promise<SavedLatent[]> {
    return store.listLatents(this.db, runId)
  }

  async saveLatent(runId: number, name: string, vector: number[]): Promise<SavedLatent> {
    store.getRun(this.db, runId)
    return store.saveLatent(this.db, runId, name, vector)
  }

  async renameLatent(runId: number, latentId: number, name: string): Promise<SavedLatent> {
    return store.renameLatent(this.db, runId, latentId, name)
  }

  async deleteLatent(runId: number, latentId: number): Promise<void> {
    store.deleteLatent(this.db, runId, latentId)
  }

  async latentDirections(request: { runId: number; iteration: number | null; method: DirectionMethod; count: number }): Promise<LatentDirections> {
    store.getRun(this.db, request.runId)
    return this.generator.directions(request.runId, request.iteration, request.method, request.count)
  }

  async listDirections(runId: number): Promise<SavedDirection[]> {
    return store.listDirections(this.db, runId)
  }

  async saveDirection(runId: number, direction: { name: string; source: string; iteration: number | null; vector: number[] }): Promise<SavedDirection> {
    const { nz } = store.getRun(this.db, runId).config
    if (direction.vector.length !== nz) throw new Error(`the direction has ${direction.vector.length} values; this generator takes ${nz}`)
    return store.saveDirection(this.db, runId, direction)
  }

  async deleteDirection(runId: number, directionId: number): Promise<void> {
    store.deleteDirection(this.db, runId, directionId)
  }

  async nearestImages(request: { runId: number; iteration: number | null; vector: number[]; k: number }): Promise<NearestImages> {
    const { set } = this.trainingSetOf(request.runId)
    const latents = latentsOf(store.getRun(this.db, request.runId), [request.vector])
    const generated = await this.generator.generate(request.runId, request.iteration, latents, { format: 'raw', exact: false })
    const found = await this.nearest.search(set, generated.raw!, request.k)
    const [result] = found.results
    return {
      iteration: generated.iteration,
      image: pngDataUrl(result.png),
      neighbours: result.neighbours.map((n) => ({ index: n.index, file: n.file, distance: n.distance, image: pngDataUrl(n.png) })),
      searched: found.count,
      checked: result.checked,
      typicalDistance: found.typicalDistance,
      indexSeconds: found.indexSeconds,
      seconds: found.seconds + generated.seconds
    }
  }

  async measureMemorization(runId: number, iteration: number | null): Promise<MemorizationResult> {
    const { set, nz } = this.trainingSetOf(runId)
    const z = fixedNoise({ seed: MEMORIZATION_SEED, nz }, MEMORIZATION_SAMPLES)
    // A conditional generator's samples take its classes in turn.
    const classes = conditionalClasses(store.getRun(this.db, runId))
    const latents = classes === 0 ? z : latentsWithClasses(z, nz, classes, MEMORIZATION_SAMPLES, (i) => i % classes)
    const generated = await this.generator.generate(runId, iteration, latents, { format: 'raw', exact: iteration !== null })
    const figure = await this.nearest.memorization(set, generated.raw!)
    store.appendScalars(this.db, runId, [{ name: MEMORIZATION_SCALAR, iteration: generated.iteration, value: figure.share }])
    this.emit({ type: 'run', runId, event: { type: 'scalars', iteration: generated.iteration, values: { [MEMORIZATION_SCALAR]: figure.share } } })
    return { iteration: generated.iteration, ...figure, seconds: figure.seconds + generated.seconds }
  }

  /** A run's training images as its training prepared them, for the nearest-image search. */
  private trainingSetOf(runId: number): { set: TrainingSetRef; nz: number } {
    const run = store.getRun(this.db, runId)
    if (run.channels === null) throw new Error(`run "${run.name}" has no checkpoint yet: train it a little first (a checkpoint is saved on pause and stop)`)
    return { set: { source: run.source, size: run.config.imageSize, channels: run.config.channels, generatorChannels: run.channels }, nz: run.config.nz }
  }

  async exportFile(request: ExportRequest): Promise<ExportResult> {
    return writeExport(request, this.exportContext())
  }

  async prepareDownload(request: DownloadRequest): Promise<DownloadTicket> {
    const { fileName, ...rest } = request
    const model = request.kind === 'model'
    return this.transfers().prepareDownload(fileName, async (path) => void (await writeExport({ ...rest, path, overwrite: false } as ExportRequest, this.exportContext())), model)
  }

  async beginUpload(request: UploadRequest): Promise<UploadTicket> {
    return this.transfers().beginUpload(request)
  }

  async finishUpload(uploadId: string): Promise<{ path: string; files: number }> {
    return this.transfers().finishUpload(uploadId)
  }

  async cancelUpload(uploadId: string): Promise<void> {
    return this.transfers().cancelUpload(uploadId)
  }

  private transfers(): Transfers {
    if (!this.options.transfers) throw new Error('downloads and uploads are for the browser mode; the desktop app reads and writes your folders directly')
    return this.options.transfers
  }

  private exportContext(): Parameters<typeof writeExport>[1] {
    return {
      db: this.db,
      render: async (runId, iteration, vectors, generator) => {
        const latents = latentsOf(store.getRun(this.db, runId), vectors)
        const result = await this.generator.generate(runId, iteration, latents, { format: 'raw', generator })
        return { images: result.raw!, count: vectors.length, size: result.imageSize, channels: result.channels }
      },
      exportModel: (runId, iteration, dir, overwrite, generator) => this.generator.exportModel(runId, iteration, dir, overwrite, generator)
    }
  }

  async pathInfo(path: string): Promise<PathInfo> {
    return describePath(path)
  }

  async chooseSavePath(request: { title: string; defaultName: string; folder: boolean }): Promise<string | null> {
    if (!this.options.chooseSavePath) throw new Error('there is no native save dialog in the browser; type the path to save to')
    return this.options.chooseSavePath(request)
  }

  private async prepare(
    sourceText: string,
    size: number,
    channels: 1 | 3 | undefined,
    onProgress?: Parameters<typeof prepareDataset>[1]['onProgress']
  ): Promise<PreparedDataset> {
    const source = parseDatasetSource(typedDataSource(sourceText))
    const key = `${describeDatasetSource(source)}|${size}|${channels ?? 'auto'}`
    if (this.dataset?.key === key && !onProgress) return this.dataset.dataset
    const dataset = await prepareDataset(source, { size, channels, cacheDir: this.options.cacheDir, onProgress })
    this.dataset = { key, dataset }
    return dataset
  }
}
