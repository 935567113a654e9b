// What every side knows about a data set being prepared: progress, and the files left out and why.

export type SkipReason = 'corrupt' | 'truncated' | 'empty' | 'unsupported' | 'unreadable'

export interface SkippedFile {
  /** Relative to the data set folder, with '/' separators. */
  path: string
  reason: SkipReason
  /** What went wrong, for a tooltip or a bug report (e.g. sharp's message). */
  detail: string
}

export interface IngestProgress {
  phase: 'scanning' | 'decoding' | 'loading-cache'
  done: number
  /** While scanning the total is not known yet: it equals the number of files found so far. */
  total: number
  imagesPerSecond: number
  etaSeconds: number | null
}

/**
 * The classes of a data set, for conditional GANs: a folder's first-level subfolders (torchvision's
 * ImageFolder convention: root/cats/x.png is a cat, root/dogs/y.png a dog), or a built-in set's labels.
 */
export interface DatasetClasses {
  /** In label order: the subfolders' names sorted, or the built-in set's class names. */
  names: string[]
  /** Usable images of each class, in `names` order (0 for a subfolder with no usable image). */
  counts: number[]
  /** Usable images in no class: lying directly in the folder, outside every subfolder. */
  unlabeled: number
  from: 'subfolders' | 'builtin'
}

/** Below this many images a class is flagged in the preview: a conditional GAN sees too little of it. */
export const FEW_IMAGES_PER_CLASS = 50
