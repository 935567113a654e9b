// What one iteration draws at random besides its noise: DiffAugment's transforms for every batch D sees and
// the gradient penalty's interpolation weights. Drawn on the host from the run's PRNG before any compute,
// so every compute path gets the same values and a resumed run continues the same sequence.
import type { Random } from '../../shared/random'
import { drawAugment, type AugmentDraws } from './augment'
import type { StepOptions } from './step-options'

export interface DiscriminatorDraws {
  real: AugmentDraws | null
  fake: AugmentDraws | null
  /** Per image, the weight of the real image in the penalty's interpolate x = e real + (1 - e) fake. */
  mix: Float32Array | null
}

export interface IterationDraws {
  /** One per D step. */
  discriminator: DiscriminatorDraws[]
  /** The fake batch of the G step. */
  generator: AugmentDraws | null
}

/** Whether an iteration with these options draws anything: runs without draw nothing (and save no state). */
export function drawsAnything(options: Pick<StepOptions, 'augment' | 'gpWeight'>): boolean {
  return options.augment.length > 0 || options.gpWeight > 0
}

/** An iteration of `dSteps` D steps on batches of `count` images of side `size`, in a fixed order. */
export function drawIteration(random: Random, options: Pick<StepOptions, 'augment' | 'gpWeight'>, dSteps: number, count: number, size: number): IterationDraws {
  const augment = () => (options.augment.length > 0 ? drawAugment(random, options.augment, count, size) : null)
  const discriminator = Array.from({ length: dSteps }, (): DiscriminatorDraws => {
    const real = augment()
    const fake = augment()
    const mix = options.gpWeight > 0 ? Float32Array.from({ length: count }, () => random.uniform()) : null
    return { real, fake, mix }
  })
  return { discriminator, generator: augment() }
}

/** For steps that draw nothing. */
export function noDraws(dSteps: number): IterationDraws {
  return { discriminator: Array.from({ length: dSteps }, () => ({ real: null, fake: null, mix: null })), generator: null }
}
