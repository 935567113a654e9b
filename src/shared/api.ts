// The one contract between the UI and the core: every method the renderer may call and the events it may
// receive; api-schemas.ts has a zod schema for each method's arguments. The IPC handlers, the preload
// bridge, the WebSocket server and both renderer clients are all derived from METHOD_NAMES and
// ARGUMENT_SCHEMAS, so adding a method is one entry here, its schema, and its implementation in the core.
import type { BackendName, RunConfigInput } from './config'
import type { DatasetClasses, IngestProgress, SkippedFile } from './dataset'
import type { MemorizationResult, NearestImages } from './nearest'
import type { DirectionMethod, LatentDirections, SavedDirection } from './latent-directions'
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

// The argument schemas live in api-schemas.ts; the bridges take them from here.
export { ARGUMENT_SCHEMAS, METHOD_NAMES } from './api-schemas'

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
