// The new-run form's fields: what each hyperparameter means, in a sentence, and how it is entered.
import { PRESETS, runConfigSchema, type RunConfigInput } from '../../../shared/config'

export interface FieldSpec {
  key: keyof RunConfigInput
  label: string
  help: string
  kind: 'number' | 'select'
  options?: { value: string | number; label: string }[]
  step?: string
}

export const FIELDS: FieldSpec[] = [
  { key: 'imageSize', label: 'Image size', help: 'Images are resized and center-cropped to this square. 32 px trains about 8x faster.', kind: 'select', options: [{ value: 32, label: '32 px' }, { value: 64, label: '64 px' }] },
  { key: 'arch', label: 'Architecture', help: 'DCGAN: convolutional, as in the paper. MLP: the original fully connected GAN, fast but blurry.', kind: 'select', options: [{ value: 'dcgan', label: 'DCGAN' }, { value: 'mlp', label: 'MLP (vanilla GAN)' }] },
  { key: 'nz', label: 'Latent size (nz)', help: 'Length of the random vector z the generator turns into an image. The paper uses 100.', kind: 'number' },
  { key: 'ngf', label: 'Generator width (ngf)', help: 'Feature maps in the generator’s last layer; earlier layers have 2x, 4x, 8x. More is slower and stronger.', kind: 'number' },
  { key: 'ndf', label: 'Discriminator width (ndf)', help: 'Feature maps in the discriminator’s first layer. Keep it close to ngf so neither side wins too easily.', kind: 'number' },
  { key: 'batchSize', label: 'Batch size', help: 'Images per training step. The paper uses 128; smaller batches are faster per step but noisier.', kind: 'number' },
  { key: 'lrD', label: 'Learning rate D', help: 'Adam step size of the discriminator. The paper uses 0.0002.', kind: 'number', step: 'any' },
  { key: 'lrG', label: 'Learning rate G', help: 'Adam step size of the generator. The paper uses 0.0002.', kind: 'number', step: 'any' },
  { key: 'beta1', label: 'Adam beta1', help: 'Momentum of Adam. The paper lowered it from 0.9 to 0.5 to steady GAN training.', kind: 'number', step: 'any' },
  { key: 'seed', label: 'Seed', help: 'Everything random (weights, noise, data order) comes from it: the same seed repeats the run.', kind: 'number' },
  { key: 'labelSmoothing', label: 'Label smoothing', help: 'One-sided: real images are labelled 1 − this for D. 0.1 often calms an overconfident D; 0 is off.', kind: 'number', step: 'any' },
  { key: 'checkpointEvery', label: 'Checkpoint every', help: 'Iterations between checkpoints (also every 5 minutes, on pause and on stop).', kind: 'number' },
  { key: 'swdEvery', label: 'SWD every', help: 'Iterations between image-quality (SWD) measurements. Empty: automatic, under 5% of training time; 0: off.', kind: 'number' },
  { key: 'sampleEvery', label: 'Sample grid every', help: 'Iterations between saved sample grids (the timeline in the run view).', kind: 'number' }
]

export const PRESET_CHOICES: { id: keyof typeof PRESETS; label: string; help: string }[] = [
  { id: 'cpuQuick', label: 'CPU quick (32 px)', help: '32 px, ngf = ndf = 32, batch 64, 1,200 iterations: recognisable digits in about 5 minutes on a laptop CPU.' },
  { id: 'paper', label: 'Paper (64 px)', help: 'The DCGAN paper’s settings: 64 px, ngf = ndf = 64, batch 128, 5 epochs. Slow without a GPU.' }
]

export type FieldErrors = Partial<Record<string, string>>

/** The config a form describes, or the problems with it, field by field. */
export function validateConfig(input: RunConfigInput): { ok: true } | { ok: false; errors: FieldErrors } {
  const result = runConfigSchema.safeParse(input)
  if (result.success) return { ok: true }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'form')
    errors[key] ??= issue.message
  }
  return { ok: false, errors }
}
