// Times training iterations of a config on this machine: the model the config describes, built on the
// backend training would use, trained a few steps on random images of the right shape. The new-run form's
// estimate comes from this, not from a guess.
import type { RunConfig } from '../../shared/config'
import { Random } from '../../shared/random'
import type { PreparedDataset } from '../data'
import { summarizeClasses } from '../data/classes'
import { initBackend } from '../training/backend'
import { Trainer } from '../training/trainer'

export interface StepMeasurement {
  secondsPerIteration: number
  backend: string
  backendDetail: string
  /** Iterations timed (after one warm-up iteration, which compiles kernels and allocates buffers). */
  steps: number
}

/** Once the timed iterations took this long, one more would add little but waiting. */
const ENOUGH_SECONDS = 5

/** Just enough random images for one iteration's batches (of `classes` classes in turn, for a conditional run). */
function randomImages(config: RunConfig, channels: 1 | 3, classes: number): PreparedDataset {
  const count = config.batchSize * config.dStepsPerG
  const pixels = new Uint8Array(count * config.imageSize * config.imageSize * channels)
  const random = new Random(config.seed, 'step-timing')
  for (let i = 0; i < pixels.length; i++) pixels[i] = random.nextUint32() & 0xff
  const labels = config.conditional ? Int32Array.from({ length: count }, (_, i) => i % classes) : null
  const names = Array.from({ length: classes }, (_, k) => String(k))
  return {
    labels,
    classes: labels ? summarizeClasses(labels, names, 'subfolders') : null,
    source: { kind: 'folder', path: 'random images (step timing)' },
    key: 'step-timing',
    count,
    size: config.imageSize,
    channels,
    pixels,
    skipped: [],
    files: [],
    fromCache: false
  }
}

/**
 * Times up to `maxSteps` iterations after a warm-up one (fewer when they are slow: see ENOUGH_SECONDS).
 * `classes`: a conditional config's number of classes (10 when not known yet).
 */
export async function measureSteps(config: RunConfig, channels: 1 | 3, maxSteps = 2, classes = 0): Promise<StepMeasurement> {
  const backend = await initBackend(config.backend)
  const images = randomImages(config, channels, config.conditional && classes < 2 ? 10 : classes)
  const trainer = new Trainer({ ...config, iterations: maxSteps + 1, epochs: undefined }, images)
  try {
    await trainer.step()
    let seconds = 0
    let steps = 0
    while (steps < maxSteps && (steps === 0 || seconds < ENOUGH_SECONDS)) {
      seconds += (await trainer.step()).seconds
      steps += 1
    }
    return { secondsPerIteration: seconds / steps, backend: backend.name, backendDetail: backend.detail, steps }
  } finally {
    trainer.dispose()
  }
}
