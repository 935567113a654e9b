// The run configuration: its schema (validated wherever a config enters the core), the DCGAN paper's
// defaults, and the presets the UI and CLI offer.
import { z } from 'zod'
import { AUGMENTATIONS, D_NORMS, hasTargets, isLoss, LOSS_FIELDS, lossDefaults, LOSSES, OPTIMIZERS } from './training-options'

export const BACKENDS = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendChoice = (typeof BACKENDS)[number]
export type BackendName = Exclude<BackendChoice, 'auto'>

/**
 * What each backend computes on. Where none that works here is a GPU one, the new-run form starts on the
 * CPU preset: a new backend names its device here (typecheck asks for it).
 */
export const BACKEND_DEVICES: Record<BackendName, 'gpu' | 'cpu'> = {
  'tensorflow-gpu': 'gpu',
  webgpu: 'gpu',
  tensorflow: 'cpu',
  wasm: 'cpu',
  cpu: 'cpu'
}

export const ARCHITECTURES = ['dcgan', 'mlp'] as const
export type Architecture = (typeof ARCHITECTURES)[number]

export const IMAGE_SIZES = [32, 64] as const
export type ImageSize = (typeof IMAGE_SIZES)[number]

const positiveInt = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(max, `${what} must be at most ${max}`)

const learningRate = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .gt(0, `${what} must be greater than 0`)
    .max(1, `${what} must be at most 1 (the paper uses 0.0002)`)

const augmentations = z
  .array(z.enum(AUGMENTATIONS, { error: `augmentations are ${AUGMENTATIONS.join(', ')} (any subset)` }))
  .refine((list) => new Set(list).size === list.length, 'each augmentation once')
  // DiffAugment applies them in this order, whatever order they were given in.
  .transform((list) => AUGMENTATIONS.filter((a) => list.includes(a)))

/** The config's fields, each with the DCGAN paper's default (see runConfigSchema for the loss's). */
export const runConfigFields = z
  .object({
    arch: z.enum(ARCHITECTURES, { error: 'architecture must be "dcgan" or "mlp"' }).default('dcgan'),
    /**
     * A conditional GAN: both networks see the class of each image (a folder's subfolders, a built-in set's
     * labels), and G draws the class it is asked for (see src/main/training/conditioning.ts).
     */
    conditional: z.boolean({ error: 'conditional must be true or false' }).default(false),
    imageSize: z
      .union([z.literal(32), z.literal(64)], { error: 'image size must be 32 or 64' })
      .default(64),
    /** Image channels: 1 (grayscale) or 3 (RGB). Detected from the data when absent. */
    channels: z.union([z.literal(1), z.literal(3)], { error: 'channels must be 1 or 3' }).optional(),
    nz: positiveInt('nz (latent size)', 1024).default(100),
    ngf: positiveInt('ngf (generator width)', 512).default(64),
    ndf: positiveInt('ndf (discriminator width)', 512).default(64),
    batchSize: positiveInt('batch size', 4096).default(128),
    lrD: learningRate('discriminator learning rate').default(0.0002),
    lrG: learningRate('generator learning rate').default(0.0002),
    beta1: z.number().min(0, 'beta1 must be in [0, 1)').lt(1, 'beta1 must be in [0, 1)').default(0.5),
    beta2: z.number().min(0, 'beta2 must be in [0, 1)').lt(1, 'beta2 must be in [0, 1)').default(0.999),
    /** Train for this many iterations; when absent, for `epochs` epochs. */
    iterations: positiveInt('iterations', 100_000_000).optional(),
    epochs: positiveInt('epochs', 100_000).optional(),
    seed: z
      .number({ error: 'seed must be a number' })
      .int('seed must be a whole number')
      .min(0, 'seed must be 0 or more')
      .max(2 ** 32 - 1, 'seed must fit in 32 bits')
      .default(999),
    /** One-sided label smoothing: real labels become 1 - labelSmoothing (0 = off, 0.1 is common). */
    labelSmoothing: z.number().min(0, 'label smoothing must be in [0, 0.5]').max(0.5, 'label smoothing must be in [0, 0.5]').default(0),
    /** Discriminator steps per generator step. */
    dStepsPerG: positiveInt('D steps per G step', 10).default(1),
    /** The GAN loss; choosing one brings its paper's optimizer settings (LOSS_DEFAULTS) unless given. */
    loss: z.enum(LOSSES, { error: `loss must be one of ${LOSSES.join(', ')}` }).default('bce'),
    optimizer: z.enum(OPTIMIZERS, { error: `optimizer must be ${OPTIMIZERS.join(' or ')}` }).default('adam'),
    /** WGAN's weight clipping: D's weights stay in [-c, c] (0 = off). */
    weightClip: z.number({ error: 'weight clipping must be a number' }).min(0, 'weight clipping must be 0 (off) or more').max(1, 'weight clipping must be at most 1 (WGAN uses 0.01)').default(0),
    /** WGAN-GP's gradient penalty weight lambda (0 = off). */
    gpWeight: z.number({ error: 'gradient penalty weight must be a number' }).min(0, 'gradient penalty weight must be 0 (off) or more').max(1000, 'gradient penalty weight must be at most 1000 (WGAN-GP uses 10)').default(0),
    /** The discriminator's normalization layers. */
    dNorm: z.enum(D_NORMS, { error: `discriminator normalization must be one of ${D_NORMS.join(', ')}` }).default('batch'),
    /** DiffAugment policies applied to every image D sees, real and fake, in the D and the G step. */
    augment: augmentations.default([]),
    /** Decay of the generator's exponential moving average (0 = off); samples and exports use the average. */
    ema: z.number({ error: 'EMA decay must be a number' }).min(0, 'EMA decay must be 0 (off) or more').lt(1, 'EMA decay must be below 1 (e.g. 0.999; 0 turns it off)').default(0),
    /** Render the fixed-noise grid every this many iterations. */
    sampleEvery: positiveInt('sample interval', 1_000_000).default(100),
    /** Number of images in the fixed-noise batch (the progress grid). */
    fixedNoiseCount: positiveInt('fixed noise count', 256).default(64),
    /**
     * Compute the SWD quality metric every this many iterations; 0 turns it off; absent means automatic
     * (often enough to follow, rarely enough to cost under 5% of the training time).
     */
    swdEvery: z
      .number({ error: 'SWD interval must be a number' })
      .int('SWD interval must be a whole number')
      .min(0, 'SWD interval must be 0 (off) or more')
      .max(1_000_000, 'SWD interval must be at most 1,000,000')
      .optional(),
    /** Save a checkpoint every this many iterations (also every few minutes, on pause and on stop). */
    checkpointEvery: positiveInt('checkpoint interval', 1_000_000).default(500),
    backend: z.enum(BACKENDS, { error: `backend must be one of ${BACKENDS.join(', ')}` }).default('auto')
  })
  .refine((c) => !(c.iterations !== undefined && c.epochs !== undefined), {
    message: 'give either iterations or epochs, not both',
    path: ['iterations']
  })
  .refine((c) => c.labelSmoothing === 0 || hasTargets(c.loss), {
    message: 'label smoothing applies to the bce and lsgan losses only (hinge and WGAN losses have no labels): set it to 0',
    path: ['labelSmoothing']
  })
  .refine((c) => c.gpWeight === 0 || c.dNorm !== 'batch', {
    // Gulrajani et al. section 4: the penalty is per image, and BatchNorm makes each image's score depend on its batch.
    message: 'the gradient penalty needs a discriminator without BatchNorm (it penalizes each image’s gradient alone): choose layer norm or none',
    path: ['dNorm']
  })

/**
 * Fills the fields the user left out from the loss's defaults (and the architecture's: the MLP's
 * discriminator has no normalization), so `{ loss: 'wgan' }` means WGAN with RMSprop 5e-5 and clipping.
 */
function withLossDefaults(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input
  const given = input as Record<string, unknown>
  const loss = given.loss ?? 'bce'
  if (!isLoss(loss)) return input
  const defaults = lossDefaults(loss, given.arch === 'mlp' ? 'mlp' : 'dcgan')
  const filled = { ...given }
  for (const field of LOSS_FIELDS) if (filled[field] === undefined) filled[field] = defaults[field]
  return filled
}

export const runConfigSchema = z.preprocess(withLossDefaults, runConfigFields)

/** A config as the user writes it (every field optional). */
export type RunConfigInput = z.input<typeof runConfigFields>
/** A complete, validated config. */
export type RunConfig = z.output<typeof runConfigFields>

/** Thrown (and shown to the user) when a config does not validate: one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
    this.name = 'ConfigError'
  }
}

export function parseRunConfig(input: unknown): RunConfig {
  const result = runConfigSchema.safeParse(input ?? {})
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message))
  }
  return result.data
}

// Sizes and lengths only: the optimizer settings come from the loss (LOSS_DEFAULTS), so a preset never
// gives WGAN the DCGAN paper's learning rate.
export const PRESETS = {
  /** The DCGAN paper / PyTorch tutorial settings. */
  paper: { imageSize: 64, ngf: 64, ndf: 64, batchSize: 128, nz: 100, epochs: 5 },
  /**
   * Small enough to learn something in minutes on a laptop CPU: on 2 cores with wasm, 1,200 iterations
   * (about 4.7 minutes) turn MNIST noise into recognizable digits.
   */
  cpuQuick: { imageSize: 32, ngf: 32, ndf: 32, batchSize: 64, nz: 100, iterations: 1200 }
} as const satisfies Record<string, RunConfigInput>

export type PresetName = keyof typeof PRESETS

/** The number of training iterations a config asks for, given the data set size. */
export function totalIterations(config: RunConfig, datasetCount: number): number {
  if (config.iterations !== undefined) return config.iterations
  const perEpoch = Math.max(1, Math.floor(datasetCount / config.batchSize))
  return perEpoch * (config.epochs ?? 5)
}
