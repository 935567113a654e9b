// The SWD quality metric during training: a fixed real subset and fixed latent vectors, the same for every
// run of a data set (so runs can be compared), evaluated every N iterations and when the run finishes.
import { fixedNoise } from '../../shared/noise'
import type { PreparedDataset } from '../data'
import { fixedRealSubset, slicedWassersteinDistance, SWD_DEFAULTS, SWD_IMAGE_COUNT, swdDescriptors, swdInterval, type SwdDescriptors } from '../metrics'
import type { TrainerHandle } from '../training/trainer'

/** Constant across runs on purpose: SWD values are comparable only between the same images and vectors. */
const SWD_SEED = 20180227
/** Automatic schedule: the first evaluation comes early, then the interval follows from its measured cost. */
const FIRST_AUTO_EVALUATION = 50
/** A pause waits for SWD only when an evaluation is known to take at most this long (a 32 px model on a CPU). */
export const PAUSE_SWD_MAX_SECONDS = 2

export class QualityTracker {
  private reference: SwdDescriptors | null = null
  private readonly latents: Float32Array
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
    this.latents = fixedNoise({ seed: SWD_SEED, nz }, SWD_IMAGE_COUNT)
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

  /** SWD averaged and per pyramid level (ProGAN's x1e3 scale), named swd, swd_64, swd_32, swd_16. */
  async evaluate(secondsPerIteration: number): Promise<Record<string, number>> {
    const started = performance.now()
    this.reference ??= swdDescriptors(fixedRealSubset(this.dataset, SWD_IMAGE_COUNT, SWD_SEED), this.options)
    const { imageSize } = this.trainer.config
    const images = await this.trainer.generate(this.latents)
    const fake = swdDescriptors({ images, count: SWD_IMAGE_COUNT, size: imageSize, channels: this.trainer.channels }, this.options)
    const result = slicedWassersteinDistance(this.reference, fake, this.options)
    const values: Record<string, number> = { swd: result.average }
    for (const level of result.perLevel) values[`swd_${level.resolution}`] = level.distance
    // Automatic: keep SWD under 5% of the training time, judged by what this evaluation cost.
    const seconds = (performance.now() - started) / 1000
    if (this.interval === null && secondsPerIteration > 0) this.interval = swdInterval(seconds, secondsPerIteration)
    this.last = { iteration: this.trainer.iteration, seconds }
    return values
  }
}
