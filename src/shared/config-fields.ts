// Every setting of a run, described once for people: its label, what it means, how the new-run form edits
// it and how its value reads. The form and a run's Config tab both read this table, so a new option joins
// both in one place (and typecheck refuses a config key without an entry here).
import type { BackendChoice, RunConfigInput } from './config'
import { AUGMENTATIONS, D_NORMS, LOSS_LABELS, LOSSES } from './training-options'

export type ConfigKey = keyof RunConfigInput

export interface ConfigFieldSpec {
  label: string
  help: string
  /**
   * How the new-run form edits it: a number box, a select of `options`, a checkbox (a yes/no setting), a
   * checkbox per option (a list of them), the training length (iterations or epochs, one field), the backend
   * (a select of the backends this machine has), or 'none' (set by the app or the CLI only; shown in a run's
   * config).
   */
  kind: 'number' | 'select' | 'checkbox' | 'checkboxes' | 'length' | 'backend' | 'none'
  options?: { value: string | number | boolean; label: string }[]
  /** The number box's step ('any' for fractions). */
  step?: string
  /** What an absent value means (e.g. 'automatic'); the form leaves an empty box out of the config. */
  whenAbsent?: string
  /** Written after the value where it reads better with it (e.g. '1,200 iterations'). */
  unit?: string
}

export interface ConfigField extends ConfigFieldSpec {
  key: ConfigKey
}

const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: 'Automatic (fastest available)',
  'tensorflow-gpu': 'tensorflow-gpu (native TensorFlow, CUDA)',
  webgpu: 'webgpu (any GPU: Metal, Direct3D 12, Vulkan)',
  tensorflow: 'tensorflow (native TensorFlow, CPU)',
  wasm: 'wasm (WebAssembly)',
  cpu: 'cpu (plain JavaScript, slowest)'
}

/** In the order the form and the Config tab show them. */
const TABLE = {
  iterations: {
    label: 'Training length',
    help: 'An epoch is one pass over the data set; an iteration is one batch for D and one for G.',
    kind: 'length',
    unit: 'iterations'
  },
  epochs: { label: 'Training length', help: 'Passes over the data set.', kind: 'length', unit: 'epochs' },
  imageSize: {
    label: 'Image size',
    help: 'Images are resized and center-cropped to this square. 32 px trains about 8x faster.',
    kind: 'select',
    options: [
      { value: 32, label: '32 px' },
      { value: 64, label: '64 px' }
    ]
  },
  channels: {
    label: 'Image channels',
    help: '1 (grayscale) or 3 (RGB); detected from the data unless given.',
    kind: 'none',
    options: [
      { value: 1, label: '1 (grayscale)' },
      { value: 3, label: '3 (RGB)' }
    ],
    whenAbsent: 'detected from the data'
  },
  arch: {
    label: 'Architecture',
    help: 'DCGAN: convolutional, as in the paper. MLP: the original fully connected GAN, fast but blurry.',
    kind: 'select',
    options: [
      { value: 'dcgan', label: 'DCGAN' },
      { value: 'mlp', label: 'MLP (vanilla GAN)' }
    ]
  },
  conditional: {
    label: 'Conditional on classes',
    help: 'Learn each class apart (a folder’s subfolders, a built-in set’s labels): G draws the class you ask for, D judges image and class together.',
    kind: 'checkbox',
    options: [
      { value: false, label: 'no' },
      { value: true, label: 'yes, on the data’s classes' }
    ]
  },
  nz: { label: 'Latent size (nz)', help: 'Length of the random vector z the generator turns into an image. The paper uses 100.', kind: 'number' },
  ngf: {
    label: 'Generator width (ngf)',
    help: 'Feature maps in the generator’s last layer; earlier layers have 2x, 4x, 8x. More is slower and stronger.',
    kind: 'number'
  },
  ndf: {
    label: 'Discriminator width (ndf)',
    help: 'Feature maps in the discriminator’s first layer. Keep it close to ngf so neither side wins too easily.',
    kind: 'number'
  },
  batchSize: {
    label: 'Batch size',
    help: 'Images per training step. The paper uses 128; smaller batches are faster per step but noisier.',
    kind: 'number'
  },
  loss: {
    label: 'Loss',
    help: 'Choosing a loss sets the optimizer settings below to its paper’s values.',
    kind: 'select',
    options: LOSSES.map((loss) => ({ value: loss, label: LOSS_LABELS[loss] }))
  },
  optimizer: {
    label: 'Optimizer',
    help: 'Adam, or RMSprop (WGAN: its authors found momentum unstable for the critic).',
    kind: 'select',
    options: [
      { value: 'adam', label: 'Adam' },
      { value: 'rmsprop', label: 'RMSprop' }
    ]
  },
  lrD: { label: 'Learning rate D', help: 'Step size of the discriminator’s optimizer. DCGAN 0.0002, WGAN 0.00005, WGAN-GP 0.0001.', kind: 'number', step: 'any' },
  lrG: { label: 'Learning rate G', help: 'Step size of the generator’s optimizer. DCGAN 0.0002, WGAN 0.00005, WGAN-GP 0.0001.', kind: 'number', step: 'any' },
  beta1: { label: 'Adam beta1', help: 'Momentum of Adam. The DCGAN paper lowered it from 0.9 to 0.5 to steady GAN training; WGAN-GP uses 0.', kind: 'number', step: 'any' },
  beta2: { label: 'Adam beta2', help: 'Decay of Adam’s squared-gradient average: 0.999, or 0.9 for WGAN-GP.', kind: 'number', step: 'any' },
  dStepsPerG: { label: 'D steps per G step', help: 'Discriminator updates before each generator update: 1 in the DCGAN paper, 5 for the WGANs’ critic.', kind: 'number' },
  weightClip: { label: 'Weight clipping', help: 'WGAN: D’s weights are clipped to ± this after each step (0.01) to keep it Lipschitz. 0 is off.', kind: 'number', step: 'any' },
  gpWeight: { label: 'Gradient penalty λ', help: 'WGAN-GP: weight of the penalty on D’s gradient norm (10). 0 is off. Needs D without BatchNorm.', kind: 'number', step: 'any' },
  dNorm: {
    label: 'D normalization',
    help: 'Normalization in the discriminator’s layers. The gradient penalty needs layer norm or none (each image judged alone).',
    kind: 'select',
    options: D_NORMS.map((norm) => ({ value: norm, label: { batch: 'BatchNorm', layer: 'Layer norm', none: 'None' }[norm] }))
  },
  seed: { label: 'Seed', help: 'Everything random (weights, noise, data order) comes from it: the same seed repeats the run.', kind: 'number' },
  labelSmoothing: {
    label: 'Label smoothing',
    help: 'One-sided: real images are labelled 1 − this for D (BCE and LSGAN). 0.1 often calms an overconfident D; 0 is off.',
    kind: 'number',
    step: 'any'
  },
  ema: {
    label: 'Generator EMA',
    help: 'Decay of a moving average of G’s weights that samples, SWD and exports use (0.999 is typical); 0 is off.',
    kind: 'number',
    step: 'any'
  },
  augment: {
    label: 'DiffAugment',
    help: 'The same random color, translation and cutout on every image D sees, real and fake: D cannot memorize a small data set.',
    kind: 'checkboxes',
    options: AUGMENTATIONS.map((a) => ({ value: a, label: a })),
    whenAbsent: 'none'
  },
  checkpointEvery: {
    label: 'Checkpoint every',
    help: 'Iterations between checkpoints (also every 5 minutes, on pause and on stop).',
    kind: 'number',
    unit: 'iterations'
  },
  swdEvery: {
    label: 'SWD every',
    help: 'Iterations between image-quality (SWD) measurements. Empty: automatic, under 5% of training time; 0: off.',
    kind: 'number',
    whenAbsent: 'automatic',
    unit: 'iterations'
  },
  sampleEvery: {
    label: 'Sample grid every',
    help: 'Iterations between saved sample grids (the timeline in the run view).',
    kind: 'number',
    unit: 'iterations'
  },
  fixedNoiseCount: { label: 'Images in the progress grid', help: 'How many fixed latent vectors the sample grid shows.', kind: 'none' },
  backend: {
    label: 'Backend',
    help: 'Where training computes: the fastest this machine has by default. Recorded with the run.',
    kind: 'backend',
    options: Object.entries(BACKEND_LABELS).map(([value, label]) => ({ value, label }))
  }
} satisfies { [K in ConfigKey]-?: ConfigFieldSpec }

export const CONFIG_FIELDS: ConfigField[] = Object.entries(TABLE).map(([key, spec]) => ({ key: key as ConfigKey, ...(spec as ConfigFieldSpec) }))

/** A config value as plain text (the compare diff, `gan-studio show`): a list comma-separated, "none" when empty. */
export function configValueText(value: unknown): string {
  if (Array.isArray(value)) return value.length > 0 ? value.join(',') : 'none'
  return String(value)
}

export function configField(key: ConfigKey): ConfigField {
  return CONFIG_FIELDS.find((f) => f.key === key)!
}

/** A setting's value as people read it: option labels, units, and what an absent value means. */
export function formatConfigValue(field: ConfigFieldSpec, value: unknown): string {
  if (value === undefined || value === null) return field.whenAbsent ?? '–'
  if (Array.isArray(value)) return value.length > 0 ? value.map((v) => formatConfigValue({ ...field, unit: undefined }, v)).join(', ') : (field.whenAbsent ?? 'none')
  const option = field.options?.find((o) => String(o.value) === String(value))
  if (option) return option.label
  const text = typeof value === 'number' && Number.isInteger(value) ? value.toLocaleString('en') : String(value)
  return field.unit ? `${text} ${field.unit}` : text
}
