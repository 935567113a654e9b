// The run configuration: its schema (validated wherever a config enters the core), the DCGAN paper's
// defaults, and the presets the UI and CLI offer.
import { z } from 'zod'

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

export const runConfigSchema = z
  .object({
    arch: z.enum(ARCHITECTURES, { error: 'architecture must be "dcgan" or "mlp"' }).default('dcgan'),
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

/** A config as the user writes it (every field optional). */
export type RunConfigInput = z.input<typeof runConfigSchema>
/** A complete, validated config. */
export type RunConfig = z.output<typeof runConfigSchema>

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

export const PRESETS = {
  /** The DCGAN paper / PyTorch tutorial settings. */
  paper: { imageSize: 64, ngf: 64, ndf: 64, batchSize: 128, nz: 100, lrD: 0.0002, lrG: 0.0002, beta1: 0.5, epochs: 5 },
  /**
   * Small enough to learn something in minutes on a laptop CPU: on 2 cores with wasm, 1,200 iterations
   * (about 4.7 minutes) turn MNIST noise into recognizable digits.
   */
  cpuQuick: { imageSize: 32, ngf: 32, ndf: 32, batchSize: 64, nz: 100, lrD: 0.0002, lrG: 0.0002, beta1: 0.5, iterations: 1200 }
} as const satisfies Record<string, RunConfigInput>

export type PresetName = keyof typeof PRESETS

/** The number of training iterations a config asks for, given the data set size. */
export function totalIterations(config: RunConfig, datasetCount: number): number {
  if (config.iterations !== undefined) return config.iterations
  const perEpoch = Math.max(1, Math.floor(datasetCount / config.batchSize))
  return perEpoch * (config.epochs ?? 5)
}
