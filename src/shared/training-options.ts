// The training objectives a run can choose beyond the DCGAN paper's: the loss (and the settings its paper
// trains it with), the optimizer, the discriminator's normalization, DiffAugment and the generator's EMA.
// Names, defaults and one-line explanations, shared by the config schema, the CLI and the form.

export const LOSSES = ['bce', 'lsgan', 'hinge', 'wgan', 'wgan-gp'] as const
export type LossName = (typeof LOSSES)[number]

export const OPTIMIZERS = ['adam', 'rmsprop'] as const
export type OptimizerName = (typeof OPTIMIZERS)[number]

/** The discriminator's normalization layers: BatchNorm as in DCGAN, per-sample layer norm, or none. */
export const D_NORMS = ['batch', 'layer', 'none'] as const
export type DNorm = (typeof D_NORMS)[number]

/** DiffAugment's policies (Zhao et al. 2020), applied in this order whatever order they are given in. */
export const AUGMENTATIONS = ['color', 'translation', 'cutout'] as const
export type Augmentation = (typeof AUGMENTATIONS)[number]

/** The EMA decay the CLI and the form suggest (`--ema` without a value): a half-life of ~700 iterations. */
export const SUGGESTED_EMA = 0.999

/** Under this many images, the form suggests DiffAugment and EMA. */
export const SMALL_DATASET = 5000

/** What each loss's paper trains it with; a run that chooses the loss gets these unless it says otherwise. */
export interface LossDefaults {
  optimizer: OptimizerName
  lrD: number
  lrG: number
  beta1: number
  beta2: number
  dStepsPerG: number
  /** Clip D's weights to [-c, c] after every D step (0: off). */
  weightClip: number
  /** Gradient penalty weight lambda (0: off). */
  gpWeight: number
  /** The DCGAN discriminator's normalization (the MLP's has none unless asked). */
  dNorm: DNorm
}

const DCGAN_PAPER: LossDefaults = { optimizer: 'adam', lrD: 0.0002, lrG: 0.0002, beta1: 0.5, beta2: 0.999, dStepsPerG: 1, weightClip: 0, gpWeight: 0, dNorm: 'batch' }

export const LOSS_DEFAULTS: Record<LossName, LossDefaults> = {
  bce: DCGAN_PAPER,
  // Mao et al. train LSGAN with the DCGAN settings.
  lsgan: DCGAN_PAPER,
  // SNGAN's setting C (Adam 2e-4, betas (0.5, 0.999), one D step), the one for DCGAN-sized models.
  hinge: DCGAN_PAPER,
  // Arjovsky et al.: RMSprop 5e-5, 5 critic steps, weights clipped to 0.01.
  wgan: { ...DCGAN_PAPER, optimizer: 'rmsprop', lrD: 0.00005, lrG: 0.00005, dStepsPerG: 5, weightClip: 0.01 },
  // Gulrajani et al.: Adam 1e-4, betas (0, 0.9), 5 critic steps, lambda 10, layer norm instead of BatchNorm.
  'wgan-gp': { ...DCGAN_PAPER, lrD: 0.0001, lrG: 0.0001, beta1: 0, beta2: 0.9, dStepsPerG: 5, gpWeight: 10, dNorm: 'layer' }
}

export const LOSS_FIELDS = Object.keys(DCGAN_PAPER) as (keyof LossDefaults)[]

/** The loss's defaults for an architecture: the MLP's discriminator has no normalization by default. */
export function lossDefaults(loss: LossName, arch: 'dcgan' | 'mlp' = 'dcgan'): LossDefaults {
  const defaults = LOSS_DEFAULTS[loss]
  return arch === 'mlp' ? { ...defaults, dNorm: 'none' } : defaults
}

export function isLoss(value: unknown): value is LossName {
  return (LOSSES as readonly unknown[]).includes(value)
}

/** The WGAN losses train a critic (scores without a sigmoid) and chart the Wasserstein estimate. */
export function isWassersteinLoss(loss: LossName): boolean {
  return loss === 'wgan' || loss === 'wgan-gp'
}

/** Label smoothing moves a target; hinge and WGAN losses have none. */
export function hasTargets(loss: LossName): boolean {
  return loss === 'bce' || loss === 'lsgan'
}

export const LOSS_LABELS: Record<LossName, string> = {
  bce: 'BCE (DCGAN)',
  lsgan: 'Least squares (LSGAN)',
  hinge: 'Hinge (SNGAN, BigGAN)',
  wgan: 'WGAN (weight clipping)',
  'wgan-gp': 'WGAN-GP (gradient penalty)'
}

/** One line per loss: what it is and the settings it brings. */
export const LOSS_HELP: Record<LossName, string> = {
  bce: 'Binary cross-entropy, non-saturating G loss: the DCGAN paper’s. Adam 2e-4, betas (0.5, 0.999).',
  lsgan: 'Least squares (Mao et al.): D regresses real to 1 and fake to 0; smoother gradients for G. Adam 2e-4.',
  hinge: 'Hinge loss (SNGAN, BigGAN): D is only pushed on samples inside its margin. Adam 2e-4.',
  wgan: 'Wasserstein critic (Arjovsky et al.): no sigmoid, weights clipped to ±0.01, RMSprop 5e-5, 5 critic steps per G step.',
  'wgan-gp': 'Wasserstein critic with a gradient penalty (Gulrajani et al.): λ 10, Adam 1e-4 betas (0, 0.9), 5 critic steps, layer norm in the critic.'
}

/** Parses "color,translation" into the canonical order; the unknown names, if any, for a message. */
export function parseAugmentations(text: string): { augment: Augmentation[]; unknown: string[] } {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = names.filter((n) => !(AUGMENTATIONS as readonly string[]).includes(n))
  return { augment: AUGMENTATIONS.filter((a) => names.includes(a)), unknown }
}

/**
 * Time per iteration on TF.js autograd relative to the fast wasm engine, measured at 32 px, ngf = ndf = 32,
 * batch 64 on 2 cores: BCE with layer norm against BCE with BatchNorm on the engine (1.15-1.6x), WGAN-GP
 * against WGAN on the engine, both with 5 critic steps (1.7x).
 */
export const AUTOGRAD_SLOWDOWN = { plain: 1.5, gradientPenalty: 1.7 }

/**
 * Why the fast wasm engine cannot train this config, with what the fallback costs; null when it can. One
 * sentence for the run's start (the engine's fallbackNote, stored with the run) and the new-run form.
 */
export function fastEngineFallback(config: { arch: string; gpWeight: number; dNorm: DNorm }): string | null {
  if (config.arch !== 'dcgan') {
    // An MLP's layers are matrix products, which wasm's own XNNPACK kernels run; the engine is for convolutions.
    return 'The fast wasm engine trains DCGANs only: this MLP trains with TF.js autograd on wasm, which for fully connected layers costs little'
  }
  if (config.gpWeight > 0) {
    return (
      `The gradient penalty needs a second-order gradient, which the fast wasm engine does not compute: this run ` +
      `trains with TF.js autograd, at about ${AUTOGRAD_SLOWDOWN.gradientPenalty}x the engine's time per iteration`
    )
  }
  if (config.dNorm === 'layer') {
    return `The fast wasm engine has no layer norm: this run trains with TF.js autograd, at about ${AUTOGRAD_SLOWDOWN.plain}x the engine's time per iteration`
  }
  return null
}
