// What a training step needs to know of the run's config, in one plain object every compute path takes.
import type { RunConfig } from '../../shared/config'
import type { Augmentation, LossName } from '../../shared/training-options'

export interface StepOptions {
  loss: LossName
  /** One-sided: real targets become 1 - labelSmoothing (bce and lsgan). */
  labelSmoothing: number
  /** Clip D's weights to [-c, c] after every D step (0: off). */
  weightClip: number
  /** Gradient penalty weight (0: off). */
  gpWeight: number
  augment: readonly Augmentation[]
}

export function stepOptionsOf(config: Pick<RunConfig, 'loss' | 'labelSmoothing' | 'weightClip' | 'gpWeight' | 'augment'>): StepOptions {
  return { loss: config.loss, labelSmoothing: config.labelSmoothing, weightClip: config.weightClip, gpWeight: config.gpWeight, augment: config.augment }
}

/** The DCGAN tutorial's step: BCE, nothing else. */
export const BCE_STEP: StepOptions = { loss: 'bce', labelSmoothing: 0, weightClip: 0, gpWeight: 0, augment: [] }
