// The rows of the compute-path table (compute-paths.test.ts): every training option, as a config on top of
// a tiny model, that every compute path must train to the reference's figures and weights. Also the options
// whose memory and resume are checked on each (option-resume.test.ts). To add an option, add a row.
import type { RunConfigInput } from '../../shared/config'
import type { Random } from '../../shared/random'
import type { TrainingImages } from '../data/training-images'

export interface OptionRow {
  name: string
  channels: 1 | 3
  config: RunConfigInput
  /** A conditional row's number of classes (its images take them at random). */
  classes?: number
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
  { name: 'MLP wgan-gp', channels: 1, config: { ...TINY, arch: 'mlp', loss: 'wgan-gp', dStepsPerG: 1 } },
  // Conditional GANs (a label embedding in G, label maps in D), alone and with the other options: the maps join
  // D's input after DiffAugment, and the penalty's gradient is the image's only.
  { name: 'conditional DCGAN 32 px gray, 3 classes', channels: 1, classes: 3, config: { ...TINY, conditional: true } },
  { name: 'conditional DCGAN 64 px RGB, 3 classes, 2 D steps', channels: 3, classes: 3, config: { ...TINY, imageSize: 64, conditional: true, dStepsPerG: 2 } },
  { name: 'conditional MLP 32 px gray, 4 classes', channels: 1, classes: 4, config: { ...TINY, arch: 'mlp', conditional: true } },
  {
    name: 'conditional hinge + augment + EMA, RMSprop, 3 classes',
    channels: 3,
    classes: 3,
    config: { ...TINY, conditional: true, loss: 'hinge', optimizer: 'rmsprop', augment: [...ALL_AUGMENTATIONS], ema: 0.9 }
  },
  {
    name: 'conditional wgan-gp + augment + EMA, 3 classes',
    channels: 3,
    classes: 3,
    config: { ...TINY, conditional: true, loss: 'wgan-gp', augment: [...ALL_AUGMENTATIONS], ema: 0.9, dStepsPerG: 2 }
  }
]

/** A row's images with their labels and classes (a conditional row's), or the images alone. */
export function withRowClasses(row: OptionRow, images: TrainingImages, random: Random): TrainingImages {
  if (!row.classes) return images
  const classes = row.classes
  const labels = Int32Array.from({ length: images.count }, () => random.int(classes))
  const names = Array.from({ length: classes }, (_, k) => `class ${k}`)
  const counts = names.map((_, k) => labels.filter((l) => l === k).length)
  return { ...images, labels, classes: { names, counts, unlabeled: 0, from: 'subfolders' } }
}
