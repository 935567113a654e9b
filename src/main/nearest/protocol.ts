// Messages between the app and the nearest-image worker, which holds one training set and its index and
// searches it off the main thread (and off the generator worker, so sliders stay live during a search).
import type { MemorizationResult } from '../../shared/nearest'

export interface NearestWorkerData {
  cacheDir: string
}

/** A run's training images, as its training prepared them. */
export interface TrainingSetRef {
  /** 'builtin:mnist' or a folder. */
  source: string
  size: number
  /** What the run asked for (undefined: detected), so the same prepared cache is found. */
  channels?: 1 | 3
  /** What the generator makes: the training images must have as many. */
  generatorChannels: 1 | 3
}

export interface NeighbourImage {
  /** Index in the training set. */
  index: number
  /** Relative path for a folder; null for a built-in set. */
  file: string | null
  /** Root-mean-square pixel difference, 0-255. */
  distance: number
  png: Uint8Array
}

export interface SearchReply {
  /** Per query, nearest first. */
  results: { neighbours: NeighbourImage[]; checked: number; png: Uint8Array }[]
  count: number
  typicalDistance: number
  /** Seconds spent building the index for this request (0 when it was cached). */
  indexSeconds: number
  /** Seconds of the search itself. */
  seconds: number
}

/** The memorization figure, as the API returns it less the checkpoint (which the generator knows). */
export type MemorizationFigures = Omit<MemorizationResult, 'iteration'>

export type NearestRequest =
  | { id: number; type: 'search'; set: TrainingSetRef; queries: Uint8Array; k: number }
  | { id: number; type: 'memorization'; set: TrainingSetRef; samples: Uint8Array }

export type NearestReply =
  | ({ id: number; ok: true; type: 'search' } & SearchReply)
  | ({ id: number; ok: true; type: 'memorization' } & MemorizationFigures)
  | { id: number; ok: false; error: string }
