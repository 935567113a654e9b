// Nearest training images of a generated image (the check for "did it just copy my training images") and
// the run-level memorization figure, as the UI and the CLI see them.

/** The memorization figure is recorded with the run as this scalar, at the checkpoint's iteration (0 to 1). */
export const MEMORIZATION_SCALAR = 'memorization'

/** Generated images the memorization figure is measured on; drawn from one seed for every run, so runs compare. */
export const MEMORIZATION_SAMPLES = 256
export const MEMORIZATION_SEED = 20160610

export interface NearestTrainingImage {
  /** Its index in the training set (for a built-in set, the index in that set's training images). */
  index: number
  /** Its path relative to the training folder; null for a built-in set. */
  file: string | null
  /** Root-mean-square difference per pixel value (0-255): the L2 distance divided by sqrt(pixel values). */
  distance: number
  /** PNG data URL, as training sees it (preprocessed). */
  image: string
}

export interface NearestImages {
  /** The checkpoint that made the image. */
  iteration: number
  /** The generated image as it was compared (PNG data URL). */
  image: string
  neighbours: NearestTrainingImage[]
  /** Training images searched (all of them). */
  searched: number
  /** How many needed their exact distance computed; the index ruled out the others. */
  checked: number
  /** Median distance from a training image to its nearest other training image. */
  typicalDistance: number
  /** Seconds spent building the index (once per data set), 0 when it was cached. */
  indexSeconds: number
  /** Seconds of the generation and the search, without an index build. */
  seconds: number
}

export interface MemorizationResult {
  iteration: number
  /** Share of the samples whose nearest training image is closer than the typical distance, 0 to 1. */
  share: number
  closer: number
  samples: number
  typicalDistance: number
  /** Median distance from a sample to its nearest training image (over the first 32 samples). */
  medianDistance: number
  indexSeconds: number
  seconds: number
}

/** The memorization figure as people read it: "37%", "0.4%" (a few samples of 256 are not 0%). */
export function formatShare(share: number): string {
  const percent = share * 100
  return percent > 0 && percent < 9.95 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`
}
