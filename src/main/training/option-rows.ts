// The training options issue 12 added, as rows of the compute-path table: each row is a config (on top of a
// tiny base model) that every compute path must train to the same figures and weights as the cpu autograd
// reference. Rows the fast wasm engine cannot run (fastEngineFallback says why) fall back to autograd there.
import type { RunConfigInput } from '../../shared/config'

export interface OptionRow {
  name: string
  config: RunConfigInput
}

const ALL_AUGMENTATIONS = ['color', 'translation', 'cutout'] as const

export const OPTION_ROWS: OptionRow[] = [
  { name: 'lsgan', config: { loss: 'lsgan' } },
  { name: 'lsgan with label smoothing', config: { loss: 'lsgan', labelSmoothing: 0.1 } },
  { name: 'hinge', config: { loss: 'hinge' } },
  // Two critic steps instead of the papers' five: the same code, less time.
  { name: 'wgan (RMSprop, clipping)', config: { loss: 'wgan', dStepsPerG: 2 } },
  { name: 'wgan-gp (penalty, layer norm)', config: { loss: 'wgan-gp', dStepsPerG: 2 } },
  { name: 'bce with RMSprop', config: { optimizer: 'rmsprop' } },
  { name: 'bce, D without normalization', config: { dNorm: 'none' } },
  { name: 'bce, D with layer norm', config: { dNorm: 'layer' } },
  { name: 'augment color', config: { augment: ['color'] } },
  { name: 'augment translation', config: { augment: ['translation'] } },
  { name: 'augment cutout', config: { augment: ['cutout'] } },
  { name: 'augment color,translation,cutout', config: { augment: [...ALL_AUGMENTATIONS] } },
  { name: 'ema', config: { ema: 0.9 } },
  { name: 'hinge + augment + ema', config: { loss: 'hinge', augment: [...ALL_AUGMENTATIONS], ema: 0.9 } },
  { name: 'wgan-gp + augment', config: { loss: 'wgan-gp', augment: [...ALL_AUGMENTATIONS], dStepsPerG: 2 } },
  { name: 'mlp wgan-gp', config: { arch: 'mlp', loss: 'wgan-gp', dStepsPerG: 2 } },
  { name: 'mlp wgan + augment + ema', config: { arch: 'mlp', loss: 'wgan', augment: [...ALL_AUGMENTATIONS], ema: 0.9, dStepsPerG: 2 } }
]
