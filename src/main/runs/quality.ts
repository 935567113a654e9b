// The SWD quality metric during training: a fixed real subset and fixed latent vectors, the same for every
// run of a data set (so runs can be compared), evaluated every N iterations and when the run finishes. A
// conditional run's generated images take the real subset's classes (so both sides hold the classes alike),
// and it is also scored class by class (the real and generated images of one class against each other),
// for the classes with enough images in the subset to say something.
import { classSwdName, withClass } from '../../shared/classes'
import { fixedNoise } from '../../shared/noise'
import type { PreparedDataset } from '../data'
import {
  descriptorsOfImages,
  fixedRealIndices,
  imageSetOf,
  slicedWassersteinDistance,
  SWD_DEFAULTS,
  SWD_IMAGE_COUNT,
  swdDescriptors,
  swdInterval,
  type SwdDescriptors
} from '../metrics'
import type { TrainerHandle } from '../training/trainer'

/** Constant across runs on purpose: SWD values are comparable only between the same images and vectors. */
const SWD_SEED = 20180227
/** Automatic schedule: the first evaluation comes early, then the interval follows from its measured cost. */
const FIRST_AUTO_EVALUATION = 50
/** A pause waits for SWD only when an evaluation is known to take at most this long (a 32 px model on a CPU). */
export const PAUSE_SWD_MAX_SECONDS = 2
/**
 * A class is scored alone when the real subset holds at least this many of its images (with 64 patches each);
 * below, its figure says more about which images were drawn than about the generator.
 */
export const MIN_IMAGES_FOR_CLASS_SWD = 8

export class QualityTracker {
  private reference: SwdDescriptors | null = null
  private readonly realIndices: Uint32Array
  private readonly latents: Float32Array
  private readonly imageCount: number
  /** Per class scored alone: its positions in the real subset (and in the generated set, which follows it). */
  private readonly classes: { k: number; images: number[]; reference: SwdDescriptors | null }[] = []
  private interval: number | null
  private readonly options = { ...SWD_DEFAULTS, seed: SWD_SEED }
  /** The iteration of the newest evaluation, and what it cost (this session). */
  private last: { iteration: number; seconds: number } | null = null

  constructor(
    private readonly dataset: PreparedDataset,
    private readonly trainer: TrainerHandle
  ) {
    const { swdEvery, nz } = trainer.config
    this.interval = swdEvery === undefined ? null : swdEvery
    this.realIndices = fixedRealIndices(dataset.count, SWD_IMAGE_COUNT, SWD_SEED)
    const classCount = trainer.classCount
    const z = fixedNoise({ seed: SWD_SEED, nz }, SWD_IMAGE_COUNT)
    if (classCount === 0 || !dataset.labels) {
      this.latents = z
      this.imageCount = SWD_IMAGE_COUNT
      return
    }
    const labels = Array.from(this.realIndices, (i) => dataset.labels![i])
    this.imageCount = labels.length
    this.latents = Float32Array.from(labels.flatMap((label, i) => withClass(z.subarray(i * nz, (i + 1) * nz), label, classCount)))
    for (let k = 0; k < classCount; k++) {
      const images = labels.flatMap((label, i) => (label === k ? [i] : []))
      if (images.length >= MIN_IMAGES_FOR_CLASS_SWD) this.classes.push({ k, images, reference: null })
    }
  }

  get enabled(): boolean {
    return this.interval !== 0
  }

  /** Whether to evaluate after this iteration. */
  due(iteration: number, finished: boolean): boolean {
    if (!this.enabled) return false
    if (finished) return true
    // Automatic and not measured yet (in this session): the first iteration from FIRST_AUTO_EVALUATION on.
    return this.interval === null ? iteration >= FIRST_AUTO_EVALUATION : iteration % this.interval === 0
  }

  /**
   * Whether a run that stops or pauses now should be measured first: a stop always (its last figure), a
   * pause only when an evaluation is known to be quick; never twice at one iteration, never untrained.
   */
  dueOnHalt(iteration: number, stopping: boolean): boolean {
    if (!this.enabled || iteration === 0 || this.last?.iteration === iteration) return false
    return stopping || (this.last !== null && this.last.seconds <= PAUSE_SWD_MAX_SECONDS)
  }

  /**
   * SWD averaged and per pyramid level (ProGAN's x1e3 scale), named swd, swd_64, swd_32, swd_16; for a
   * conditional run also per class, swd_class_<k> (averaged over the levels).
   */
  async evaluate(secondsPerIteration: number): Promise<Record<string, number>> {
    const started = performance.now()
    this.reference ??= swdDescriptors(imageSetOf(this.dataset, this.realIndices), this.options)
    const { imageSize } = this.trainer.config
    const images = await this.trainer.generate(this.latents)
    const fake = swdDescriptors({ images, count: this.imageCount, size: imageSize, channels: this.trainer.channels }, this.options)
    const result = slicedWassersteinDistance(this.reference, fake, this.options)
    const values: Record<string, number> = { swd: result.average }
    for (const level of result.perLevel) values[`swd_${level.resolution}`] = level.distance
    for (const scored of this.classes) {
      scored.reference ??= descriptorsOfImages(this.reference, scored.images)
      values[classSwdName(scored.k)] = slicedWassersteinDistance(scored.reference, descriptorsOfImages(fake, scored.images), this.options).average
    }
    // Automatic: keep SWD under 5% of the training time, judged by what this evaluation cost.
    const seconds = (performance.now() - started) / 1000
    if (this.interval === null && secondsPerIteration > 0) this.interval = swdInterval(seconds, secondsPerIteration)
    this.last = { iteration: this.trainer.iteration, seconds }
    return values
  }
}
