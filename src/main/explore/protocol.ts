import type { BackendReport } from '../../shared/api'

// Messages between the app and the generator worker, which renders images for exploration off the
// training threads, so a slider never waits behind a training iteration.
import type { DirectionMethod, LatentDirections } from '../../shared/latent-directions'

export interface GeneratorWorkerData {
  dbPath: string
  nativeBinding?: string
}

export interface GenerateRequest {
  id: number
  type: 'generate'
  /** PNG per image (for the screen), or the raw NHWC floats in [-1, 1] of all of them (for exports). */
  format: 'png' | 'raw'
  runId: number
  /** A checkpoint's iteration; null for the newest checkpoint. */
  iteration: number | null
  /** n * nz values. */
  latents: Float32Array
  /** Requests on one channel replace each other: only the newest queued one is rendered. */
  channel?: string
  /** The moving average (the default, where the run keeps one) or the trained generator. */
  generator?: 'ema' | 'raw'
  /**
   * That very checkpoint or an error (exports). Otherwise, when training pruned it and it is not loaded,
   * the nearest saved checkpoint serves, and the reply's iteration says which.
   */
  exact?: boolean
}

/** Writes the checkpoint's generator as a TF.js Layers model (model.json + weights) into a folder. */
export interface ExportModelRequest {
  id: number
  type: 'export-model'
  runId: number
  iteration: number | null
  dir: string
  overwrite: boolean
  generator?: 'ema' | 'raw'
}

/** What the worker's own backend choice ('auto') found: the backend training would use in Node. */
export interface DescribeBackendsRequest {
  id: number
  type: 'describe-backends'
}

/** The checkpoint's top latent directions (computed once per loaded generator). */
export interface DirectionsRequest {
  id: number
  type: 'directions'
  runId: number
  iteration: number | null
  method: DirectionMethod
  count: number
  /** As for GenerateRequest: the screen gets the nearest saved checkpoint, the CLI-like callers that one. */
  exact?: boolean
}

export type GeneratorRequest = GenerateRequest | ExportModelRequest | DescribeBackendsRequest | DirectionsRequest

export type GeneratorReply =
  | { id: number; ok: true; iteration: number; images: Uint8Array[]; raw: Float32Array | null; imageSize: number; channels: 1 | 3; seconds: number }
  | { id: number; ok: true; files: string[] }
  | { id: number; ok: true; backend: BackendReport }
  | { id: number; ok: true; directions: LatentDirections }
  | { id: number; ok: false; superseded?: boolean; error: string }
