// The rows of the compute-path table (compute-paths.test.ts): every training option, as a config on top of
// a tiny model, that every compute path must train to the reference's figures and weights. Also the options
// whose memory and resume are checked on each (option-resume.test.ts). To add an option, add a row.
import type { RunConfigInput } from '../../shared/config'

export interface OptionRow {
  name: string
  channels: 1 | 3
  config: RunConfigInput
}

/** Tiny models: the table is about equal maths, not speed (webgpu runs on a software adapter here). */
export const TINY: RunConfigInput = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, fixedNoiseCount: 3, seed: 11 }

const ALL_AUGMENTATIONS = ['color', 'translation', 'cutout'] as const

export const OPTION_ROWS: OptionRow[] = [
  { name: 'DCGAN 32 px gray', channels: 1, config: TINY },
  { name: 'DCGAN 64 px RGB', channels: 3, config: { ...TINY, imageSize: 64 } },
  { name: 'MLP 32 px gray', channels: 1, config: { ...TINY, arch: 'mlp' } },
  { name: 'label smoothing 0.1', channels: 1, config: { ...TINY, labelSmoothing: 0.1 } },
  { name: '2 D steps per G step, separate learning rates', channels: 3, config: { ...TINY, dStepsPerG: 2, lrD: 0.0004, lrG: 0.0001 } },
  // The losses (each with its paper's settings; two critic steps instead of five: the same code, less time).
  { name: 'lsgan with label smoothing', channels: 1, config: { ...TINY, loss: 'lsgan', labelSmoothing: 0.1 } },
  { name: 'hinge', channels: 1, config: { ...TINY, loss: 'hinge' } },
  { name: 'wgan (RMSprop, weight clipping)', channels: 1, config: { ...TINY, loss: 'wgan', dStepsPerG: 2 } },
  { name: 'wgan-gp (gradient penalty, layer norm)', channels: 1, config: { ...TINY, loss: 'wgan-gp', dStepsPerG: 2 } },
  { name: 'wgan-gp, D without normalization', channels: 1, config: { ...TINY, loss: 'wgan-gp', dStepsPerG: 2, dNorm: 'none' } },
  { name: 'bce with RMSprop', channels: 1, config: { ...TINY, optimizer: 'rmsprop' } },
  { name: 'bce, D with layer norm', channels: 1, config: { ...TINY, dNorm: 'layer' } },
  { name: 'EMA of G', channels: 1, config: { ...TINY, ema: 0.9 } },
  // DiffAugment (all three policies; tests/reference checks each against PyTorch), on RGB, where its
  // saturation step does something.
  { name: 'hinge + augment + EMA', channels: 3, config: { ...TINY, loss: 'hinge', augment: [...ALL_AUGMENTATIONS], ema: 0.9 } },
  { name: 'wgan-gp + augment', channels: 3, config: { ...TINY, loss: 'wgan-gp', augment: [...ALL_AUGMENTATIONS], dStepsPerG: 2 } },
  { name: 'MLP wgan-gp', channels: 1, config: { ...TINY, arch: 'mlp', loss: 'wgan-gp', dStepsPerG: 1 } }
]
