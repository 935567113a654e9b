// The one contract between the UI and the core: every method the renderer may call, the events it may
// receive, and a zod schema for each method's arguments. The IPC handlers, the preload bridge, the
// WebSocket server and both renderer clients are all derived from METHOD_NAMES and ARGUMENT_SCHEMAS, so
// adding a method is one entry here plus its implementation in the core.
import { z } from 'zod'
import { BACKENDS, type BackendName, type RunConfigInput } from './config'
import type { DatasetClasses, IngestProgress, SkippedFile } from './dataset'
import type { MemorizationResult, NearestImages } from './nearest'
import { DIRECTION_METHODS, MAX_DIRECTIONS, type DirectionMethod, type LatentDirections, type SavedDirection } from './latent-directions'
import type { CheckpointInfo, ResumeChange, MetricSeries, RunEvent, RunSummary, SavedLatent, ScalarSeries } from './runs'

/** A preview of a data set before a run is created from it. */
export interface DatasetPreview {
  source: string
  count: number
  /** Files with an image extension that were found (usable or skipped): what the folder browser counts. */
  imageFiles: number
  size: number
  channels: 1 | 3
  skipped: SkippedFile[]
  /** Its classes (a folder's first-level subfolders, a built-in set's labels): what a conditional run learns. */
  classes: DatasetClasses | null
  /** PNG data URL: a grid of the first preprocessed images, as training will see them. */
  gridDataUrl: string
  fromCache: boolean
}

export interface GridImage {
  iteration: number
  /** PNG data URL. */
  dataUrl: string
}

export interface FolderListing {
  path: string
  parent: string | null
  folders: string[]
  /**
   * Image files in this folder and its subfolders, counted by the rules the data preview uses (hidden files
   * and folders left out, linked folders followed once), so the two counts agree.
   */
  imageCount: number
  /** Image files directly in this folder. */
  imagesHere: number
  /** False when the folder is too large to count in full: imageCount is then a lower bound. */
  countComplete: boolean
  /** The path that was asked for, when it does not exist and its nearest existing parent is shown instead. */
  missing: string | null
}

export interface AppInfo {
  version: string
  /** 'ipc' inside the Electron app, 'websocket' in a browser connected to `gan-studio serve`. */
  transport: 'ipc' | 'websocket'
  /** Whether pickFolder opens a native dialog (Electron); otherwise the UI offers browseFolder. */
  nativeFolderDialog: boolean
  dataDir: string
  /** Backends that can be chosen on this machine, best first (webgpu still needs a GPU: see describeBackends). */
  backends: BackendName[]
}

/** A training iteration of a config timed on this machine, for the new-run form's estimate. */
export interface StepTiming {
  /** Seconds per iteration (its D steps and its G step), after a warm-up iteration. */
  secondsPerIteration: number
  /** The backend it ran on: the one training would use. */
  backend: string
  backendDetail: string
  /** Runs that were training meanwhile (they share the processor, so the figure is pessimistic). */
  runsTraining: number
  /** Remembered from an earlier measurement of the same model shape. */
  fromCache: boolean
}

/** What training would use here, found by starting the backends (in a worker, not the UI's thread). */
export interface BackendReport {
  /** What a run on 'auto' uses: its name, and for people ('webgpu (NVIDIA GeForce RTX 4070, Vulkan)'). */
  auto: { name: BackendName; detail: string }
  /** Why auto passed over better ones: no GPU adapter, only a software one, a native package that fails. */
  notes: string[]
  /** Whether auto trains on a GPU here. */
  gpu: boolean
}

/** What the explore screen needs to know about a run's generator. */
export interface GeneratorInfo {
  runId: number
  nz: number
  imageSize: number
  channels: 1 | 3
  /**
   * A conditional generator's classes, in label order (empty for others): its latent vectors are z (nz
   * values) followed by one weight per class (see src/shared/classes.ts).
   */
  classes: string[]
  /** Iterations with a checkpoint, oldest first: each can be explored. */
  checkpoints: number[]
  /** The run keeps a moving average of G (its default for images); the trained G is `generator: 'raw'`. */
  hasAverage: boolean
}

/** Which generator renders: its moving average (where the run keeps one, the default) or the trained one. */
export type GeneratorChoice = 'ema' | 'raw'

export interface GeneratedImages {
  /** The checkpoint's iteration the images come from. */
  iteration: number
  /** One PNG data URL per latent vector, in order. */
  images: string[]
  seconds: number
}

/** What an export writes; `path` is a file (a folder for 'model'), never replaced unless `overwrite`. */
export type ExportRequest =
  | { kind: 'grid'; runId: number; iteration: number | null; generator?: GeneratorChoice; vectors: number[][]; perRow: number; padding: number; padColor: [number, number, number]; scale: number; path: string; overwrite: boolean }
  | { kind: 'strip'; runId: number; iteration: number | null; generator?: GeneratorChoice; vectors: number[][]; padding: number; padColor: [number, number, number]; scale: number; path: string; overwrite: boolean }
  | { kind: 'gif'; runId: number; iteration: number | null; generator?: GeneratorChoice; vectors: number[][]; fps: number; scale: number; loop: boolean; path: string; overwrite: boolean }
  | { kind: 'model'; runId: number; iteration: number | null; generator?: GeneratorChoice; path: string; overwrite: boolean }
  | { kind: 'metrics'; runId: number; path: string; overwrite: boolean }
  /**
   * The runs' sample grids side by side, each under its name, at (the saved grid nearest) one iteration,
   * upscaled `scale` times; with `charts`, the runs' curves below them.
   */
  | { kind: 'comparison-png'; runIds: number[]; iteration: number; scale: number; charts: boolean; path: string; overwrite: boolean }
  /** The compare screen's summary table. */
  | { kind: 'comparison-csv'; runIds: number[]; path: string; overwrite: boolean }

/** An export to download in the browser mode: the same as ExportRequest, named instead of placed. */
export type DownloadRequest = DistributiveOmit<ExportRequest, 'path' | 'overwrite'> & { fileName: string }
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export interface DownloadTicket {
  fileName: string
  bytes: number
  /** Where the page fetches it, once: a path on the server, behind the page's token. */
  url: string
}

/** An image folder (or a zip of one) to upload from the browser's machine to the server. */
export interface UploadRequest {
  /** Its name on the browser's machine: the folder on the server is named after it. */
  name: string
  kind: 'folder' | 'zip'
  files: number
  bytes: number
}

export interface UploadTicket {
  uploadId: string
  /** PUT each file to `${url}/file?path=<its path in the folder>`, or the zip to `${url}/zip`. */
  url: string
}

export interface ExportResult {
  files: string[]
  bytes: number
}

export interface PathInfo {
  path: string
  exists: boolean
  isDirectory: boolean
  /** Whether the folder it would be written into exists. */
  parentExists: boolean
}

export interface GanApi {
  appInfo(): Promise<AppInfo>
  /** Which backend training would use here, and why the better ones are not (found once, then remembered). */
  describeBackends(): Promise<BackendReport>
  listRuns(): Promise<RunSummary[]>
  getRun(runId: number): Promise<RunSummary>
  createRun(request: { source: string; config: RunConfigInput; name?: string }): Promise<RunSummary>
  /**
   * Starts a created run, or resumes a paused, stopped, interrupted or failed one. With `change` it
   * continues from its last checkpoint with those settings: lower learning rates (the way on after a
   * divergence), another backend (after the GPU stopped working).
   */
  startRun(runId: number, change?: ResumeChange): Promise<RunSummary>
  pauseRun(runId: number): Promise<void>
  stopRun(runId: number): Promise<void>
  checkpointRun(runId: number): Promise<void>
  renameRun(runId: number, name: string): Promise<RunSummary>
  deleteRun(runId: number): Promise<void>
  /** Prepares (and caches) a data set and returns what training will see. Progress arrives as 'preview' events. */
  previewDataset(request: { source: string; size: 32 | 64; channels?: 1 | 3; previewId: string }): Promise<DatasetPreview>
  /**
   * Times a training iteration of `config` on this machine (in a worker thread, on random images of the
   * right shape): the estimate shown before Start. Remembered per model shape.
   */
  measureStep(request: { config: RunConfigInput; channels: 1 | 3; classes?: number }): Promise<StepTiming>
  /** Figures after `sinceIteration`, column by column. */
  getMetrics(runId: number, sinceIteration: number): Promise<MetricSeries>
  /** Figures recorded every so often (the SWD quality metric, per level and averaged), by name. */
  getScalars(runId: number): Promise<Record<string, ScalarSeries>>
  listGrids(runId: number): Promise<number[]>
  /** The grid at an iteration (the nearest saved one), or the newest. */
  getGrid(runId: number, iteration?: number): Promise<GridImage | null>
  /** A grid of real training images as the run sees them, for the real-vs-fake panel. */
  getRealGrid(runId: number, count: number): Promise<GridImage>
  listCheckpoints(runId: number): Promise<CheckpointInfo[]>
  /** A pinned checkpoint is kept whatever the run's keep-the-last-K rule says. */
  pinCheckpoint(runId: number, iteration: number, pinned: boolean): Promise<CheckpointInfo[]>
  /** Native folder dialog (Electron only); null when cancelled. */
  pickFolder(): Promise<string | null>
  /** The server-side folder browser for the browser mode; the home folder when no path is given. */
  browseFolder(path?: string): Promise<FolderListing>
  describeGenerator(runId: number): Promise<GeneratorInfo>
  /**
   * Images for latent vectors from a checkpoint (null: the newest). Requests on the same `channel` replace
   * each other while queued: a moving slider renders its newest position, not every one.
   */
  generate(request: { runId: number; iteration: number | null; vectors: number[][]; channel?: string; generator?: GeneratorChoice }): Promise<GeneratedImages>
  listLatents(runId: number): Promise<SavedLatent[]>
  saveLatent(runId: number, name: string, vector: number[]): Promise<SavedLatent>
  /** Renames a saved vector in place (it keeps its place among the run's vectors). */
  renameLatent(runId: number, latentId: number, name: string): Promise<SavedLatent>
  deleteLatent(runId: number, latentId: number): Promise<void>
  /** The checkpoint's strongest latent directions by SeFa or GANSpace (computed once per checkpoint, in the generator worker). */
  latentDirections(request: { runId: number; iteration: number | null; method: DirectionMethod; count: number }): Promise<LatentDirections>
  listDirections(runId: number): Promise<SavedDirection[]>
  /** Saves a direction under a name (replacing one of that name). */
  saveDirection(runId: number, direction: { name: string; source: string; iteration: number | null; vector: number[] }): Promise<SavedDirection>
  deleteDirection(runId: number, directionId: number): Promise<void>
  /**
   * The k training images nearest (pixel L2) to the image of a latent vector: exact, through an index built
   * once per data set in the cache folder. Like `generate`, the nearest saved checkpoint serves a pruned one.
   */
  nearestImages(request: { runId: number; iteration: number | null; vector: number[]; k: number }): Promise<NearestImages>
  /** Measures the run's memorization figure at a checkpoint (null: the newest) and records it with the run. */
  measureMemorization(runId: number, iteration: number | null): Promise<MemorizationResult>
  /** Writes an export atomically; refuses to replace an existing file unless asked to. */
  exportFile(request: ExportRequest): Promise<ExportResult>
  /** Before an export: does the path exist (so the UI can ask before replacing it)? */
  pathInfo(path: string): Promise<PathInfo>
  /** Native save dialog (Electron only); null when cancelled. */
  chooseSavePath(request: { title: string; defaultName: string; folder: boolean }): Promise<string | null>
  /** Browser mode: writes an export for the page to download to the browser's machine (a model as a zip). */
  prepareDownload(request: DownloadRequest): Promise<DownloadTicket>
  /** Browser mode: checks an upload against the limits and free space; its files then go over HTTP. */
  beginUpload(request: UploadRequest): Promise<UploadTicket>
  /** Makes a complete upload a folder on the server (a zip unpacked); returns where it is. */
  finishUpload(uploadId: string): Promise<{ path: string; files: number }>
  /** Drops an upload and whatever of it arrived. */
  cancelUpload(uploadId: string): Promise<void>
}

export type ApiEvent =
  | { type: 'run'; runId: number; event: RunEvent }
  /** A run was created, renamed or deleted: lists should refresh. */
  | { type: 'runs-changed' }
  | { type: 'preview'; previewId: string; progress: IngestProgress }

export type MethodName = keyof GanApi

const runId = z.number({ error: 'run id must be a number' }).int().positive()
const iteration = z.number({ error: 'iteration must be a number' }).int().min(0)
const latentVector = z.array(z.number({ error: 'a latent vector holds numbers' }).finite('latent values must be finite')).min(1).max(1024)
const latentVectors = z.array(latentVector).min(1, 'give at least one latent vector').max(1024, 'at most 1,024 images at a time')
const scale = z.number().int('scale must be a whole number').min(1, 'scale must be 1 to 8').max(8, 'scale must be 1 to 8')
const padding = z.number().int('padding must be a whole number').min(0, 'padding must be 0 or more').max(64, 'padding must be at most 64')
const exportPath = z.string().trim().min(1, 'choose where to save the file').max(4096)
const rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)])
const comparedRuns = z.array(runId).min(2, 'compare at least 2 runs').max(6, 'compare at most 6 runs at once')
const dataSource = z.string({ error: 'data source must be text' }).min(1, 'choose a folder or a built-in data set')
const generatorChoice = z.enum(['ema', 'raw'], { error: 'generator must be "ema" (the moving average) or "raw" (the trained one)' }).optional()

const overwrite = z.boolean()
const EXPORT_KINDS = [
  z.object({ kind: z.literal('grid'), runId, iteration: iteration.nullable(), generator: generatorChoice, vectors: latentVectors, perRow: z.number().int().min(1).max(1024), padding: padding, padColor: rgb, scale, path: exportPath, overwrite }),
  z.object({ kind: z.literal('strip'), runId, iteration: iteration.nullable(), generator: generatorChoice, vectors: latentVectors, padding: padding, padColor: rgb, scale, path: exportPath, overwrite }),
  z.object({ kind: z.literal('gif'), runId, iteration: iteration.nullable(), generator: generatorChoice, vectors: latentVectors, fps: z.number().min(0.1, 'fps must be at least 0.1').max(50, 'a GIF plays at most 50 frames per second'), scale, loop: z.boolean(), path: exportPath, overwrite }),
  z.object({ kind: z.literal('model'), runId, iteration: iteration.nullable(), generator: generatorChoice, path: exportPath, overwrite }),
  z.object({ kind: z.literal('metrics'), runId, path: exportPath, overwrite }),
  z.object({ kind: z.literal('comparison-png'), runIds: comparedRuns, iteration, scale, charts: z.boolean(), path: exportPath, overwrite }),
  z.object({ kind: z.literal('comparison-csv'), runIds: comparedRuns, path: exportPath, overwrite })
] as const
const uploadId = z.string().regex(/^[0-9a-f]{24}$/, 'this upload is not known (start it again)')

/** The arguments of every method, as a tuple schema: validated in the core before any use. */
export const ARGUMENT_SCHEMAS = {
  appInfo: z.tuple([]),
  describeBackends: z.tuple([]),
  listRuns: z.tuple([]),
  getRun: z.tuple([runId]),
  createRun: z.tuple([
    z.object({
      source: dataSource,
      // Fully validated by parseRunConfig in the core; here only its shape.
      config: z.record(z.string(), z.unknown()),
      name: z.string().max(80, 'a run name can have at most 80 characters').optional()
    })
  ]),
  startRun: z.tuple([
    runId,
    z
      .object({
        lrD: z.number().positive('a learning rate must be above 0').optional(),
        lrG: z.number().positive('a learning rate must be above 0').optional(),
        backend: z.enum(BACKENDS, { error: `backend must be one of ${BACKENDS.join(', ')}` }).optional(),
        // Their ranges are the config schema's, checked when the change is applied.
        labelSmoothing: z.number().optional(),
        dStepsPerG: z.number().int().optional()
      })
      .strict()
      .optional()
  ]),
  pauseRun: z.tuple([runId]),
  stopRun: z.tuple([runId]),
  checkpointRun: z.tuple([runId]),
  renameRun: z.tuple([runId, z.string().min(1, 'a run name cannot be empty').max(80, 'a run name can have at most 80 characters')]),
  deleteRun: z.tuple([runId]),
  previewDataset: z.tuple([
    z.object({
      source: dataSource,
      size: z.union([z.literal(32), z.literal(64)], { error: 'image size must be 32 or 64' }),
      channels: z.union([z.literal(1), z.literal(3)]).optional(),
      previewId: z.string().min(1).max(100)
    })
  ]),
  measureStep: z.tuple([
    z.object({
      // Fully validated by parseRunConfig in the core; here only its shape.
      config: z.record(z.string(), z.unknown()),
      channels: z.union([z.literal(1), z.literal(3)], { error: 'channels must be 1 or 3' }),
      /** A conditional config's number of classes (the data set's). */
      classes: z.number().int().min(0).max(100_000).optional()
    })
  ]),
  getMetrics: z.tuple([runId, z.number().int().min(0)]),
  getScalars: z.tuple([runId]),
  listGrids: z.tuple([runId]),
  getGrid: z.tuple([runId, z.number().int().min(0).optional()]),
  getRealGrid: z.tuple([runId, z.number().int().min(1).max(256)]),
  listCheckpoints: z.tuple([runId]),
  pinCheckpoint: z.tuple([runId, iteration, z.boolean()]),
  pickFolder: z.tuple([]),
  browseFolder: z.tuple([z.string().max(4096).optional()]),
  describeGenerator: z.tuple([runId]),
  generate: z.tuple([
    z.object({
      runId,
      iteration: iteration.nullable(),
      vectors: latentVectors,
      channel: z.string().max(100).optional(),
      generator: generatorChoice
    })
  ]),
  listLatents: z.tuple([runId]),
  saveLatent: z.tuple([runId, z.string().trim().min(1, 'a saved vector needs a name').max(80, 'a name can have at most 80 characters'), latentVector]),
  renameLatent: z.tuple([runId, z.number().int().positive(), z.string().trim().min(1, 'a saved vector needs a name').max(80, 'a name can have at most 80 characters')]),
  deleteLatent: z.tuple([runId, z.number().int().positive()]),
  latentDirections: z.tuple([
    z.object({
      runId,
      iteration: iteration.nullable(),
      method: z.enum(DIRECTION_METHODS, { error: `the method must be one of ${DIRECTION_METHODS.join(', ')}` }),
      count: z.number().int().min(1, 'ask for at least 1 direction').max(MAX_DIRECTIONS, `at most ${MAX_DIRECTIONS} directions`)
    })
  ]),
  listDirections: z.tuple([runId]),
  saveDirection: z.tuple([
    runId,
    z.object({
      name: z.string().trim().min(1, 'a saved direction needs a name').max(80, 'a name can have at most 80 characters'),
      source: z.string().trim().min(1).max(80),
      iteration: iteration.nullable(),
      vector: latentVector
    })
  ]),
  deleteDirection: z.tuple([runId, z.number().int().positive()]),
  nearestImages: z.tuple([
    z.object({ runId, iteration: iteration.nullable(), vector: latentVector, k: z.number().int().min(1, 'ask for at least 1 image').max(64, 'at most 64 images') })
  ]),
  measureMemorization: z.tuple([runId, iteration.nullable()]),
  exportFile: z.tuple([z.discriminatedUnion('kind', EXPORT_KINDS)]),
  pathInfo: z.tuple([exportPath]),
  chooseSavePath: z.tuple([z.object({ title: z.string().max(200), defaultName: z.string().max(255), folder: z.boolean() })]),
  prepareDownload: z.tuple([
    z.discriminatedUnion(
      'kind',
      (EXPORT_KINDS as readonly z.ZodObject[]).map((kind) => kind.omit({ path: true, overwrite: true }).extend({ fileName: z.string().trim().min(1, 'the download needs a file name').max(200) })) as unknown as [z.ZodObject, ...z.ZodObject[]]
    )
  ]),
  beginUpload: z.tuple([
    z.object({
      name: z.string().max(255),
      kind: z.enum(['folder', 'zip']),
      files: z.number().int().min(1, 'the folder holds no files to upload'),
      bytes: z.number().int().min(0)
    })
  ]),
  finishUpload: z.tuple([uploadId]),
  cancelUpload: z.tuple([uploadId])
} satisfies Record<MethodName, z.ZodType>

export const METHOD_NAMES = Object.keys(ARGUMENT_SCHEMAS) as MethodName[]

/**
 * The one rule for optional arguments on every transport: an argument left out is absent, never null.
 * JSON turns `[path, undefined]` into `[path, null]`, which the schemas rightly refuse, so both the preload
 * and the WebSocket client send a call's arguments through this first: trailing undefined ones are dropped
 * (the contract's optional arguments are all trailing; undefined object properties JSON drops by itself).
 */
export function wireArguments(args: readonly unknown[]): unknown[] {
  let end = args.length
  while (end > 0 && args[end - 1] === undefined) end--
  return args.slice(0, end)
}

/** An error as it crosses to the UI: the message is for the user. */
export interface ApiErrorPayload {
  /** A plain sentence, without method names or field paths. */
  message: string
  /** For a bug report: which method and argument the message is about. */
  detail?: string
  /** 'invalid-argument' when the request itself was wrong; 'failed' otherwise. */
  code: 'invalid-argument' | 'failed'
}
