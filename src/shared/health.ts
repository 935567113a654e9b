// Training health: the ways a GAN run goes wrong that the curves alone do not tell a newcomer, each with an
// explanation in plain words and what to try, the resume options among them one click away.
import { runConfigSchema, type RunConfig } from './config'
import { configField, type ConfigKey } from './config-fields'
import type { ResumeChange } from './runs'

export const HEALTH_KINDS = ['divergence', 'mode-collapse', 'discriminator-winning', 'instability', 'no-progress'] as const
export type HealthKind = (typeof HEALTH_KINDS)[number]

/** A problem seen over a stretch of a run. */
export interface HealthAlert {
  kind: HealthKind
  /** The first iteration it was seen at. */
  startIteration: number
  /** The last iteration it was seen at; null while it goes on. */
  endIteration: number | null
  /** The figures that raised it, for people: "sample diversity 4% of the real images' (it was 52%)". */
  detail: string
}

/**
 * A resume option that may help, as data: the UI makes it a button (a checkpoint now, then training goes on
 * from it with the change), the CLI a `gan-studio resume` command line.
 */
export interface SuggestedAction {
  label: string
  change: ResumeChange
}

export interface HealthAdvice {
  /** "Mode collapse". */
  title: string
  /** What it means and why it happens, for someone new to GANs. */
  explanation: string
  /** What to try, including what is not a resume option (a bigger folder, a new run). */
  tries: string[]
  /** The resume options among the tries that this run's config accepts. */
  actions: SuggestedAction[]
}

const TITLES: Record<HealthKind, string> = {
  divergence: 'Training diverged',
  'mode-collapse': 'Mode collapse',
  'discriminator-winning': 'The discriminator is winning',
  instability: 'Unstable training',
  'no-progress': 'No progress'
}

export function healthTitle(kind: HealthKind): string {
  return TITLES[kind]
}

/** "iterations 300–650", "from iteration 300" while it goes on, "at iteration 300" for a moment. */
export function describeStretch(alert: Pick<HealthAlert, 'startIteration' | 'endIteration'>): string {
  const { startIteration: start, endIteration: end } = alert
  if (end === null) return `from iteration ${start.toLocaleString('en-US')}`
  if (end === start) return `at iteration ${start.toLocaleString('en-US')}`
  return `iterations ${start.toLocaleString('en-US')}–${end.toLocaleString('en-US')}`
}

/**
 * What to try for a problem on this run: the tries in words, and among them the resume options the config
 * schema accepts with this run's settings (label smoothing only where the loss has labels, fewer D steps
 * only where there are several), each a change a resume applies.
 */
export function healthAdvice(kind: HealthKind, config: RunConfig): HealthAdvice {
  const half = (rate: number) => Number((rate / 2).toPrecision(3))
  const lowerBoth: SuggestedAction = { label: 'Continue at half the learning rates', change: { lrD: half(config.lrD), lrG: half(config.lrG) } }
  const lowerD: SuggestedAction = { label: "Continue at half D's learning rate", change: { lrD: half(config.lrD) } }
  const smoothing: SuggestedAction = { label: 'Continue with label smoothing 0.1', change: { labelSmoothing: 0.1 } }
  const fewerDSteps: SuggestedAction = { label: `Continue with ${config.dStepsPerG - 1} D step${config.dStepsPerG - 1 === 1 ? '' : 's'} per G step`, change: { dStepsPerG: config.dStepsPerG - 1 } }
  const offered = (actions: SuggestedAction[]) => actions.filter((a) => acceptsChange(config, a.change))
  switch (kind) {
    case 'divergence':
      return {
        title: TITLES[kind],
        explanation:
          'A loss became NaN or infinite: a step was so large that the weights left the range where the numbers mean anything. ' +
          'The run paused itself; the last checkpoint is from before it happened.',
        tries: ['lower the learning rates (halving them is usually enough)', 'resume: training continues from the last checkpoint'],
        actions: offered([lowerBoth])
      }
    case 'mode-collapse':
      return {
        title: TITLES[kind],
        explanation:
          'The generator produces nearly the same image for every noise vector: it found a few outputs that fool the ' +
          'discriminator and stopped covering the variety of your images. The fixed-noise grid then shows near-copies.',
        tries: [
          'lower the learning rates, so neither network can jump to a single answer',
          'label smoothing (real labels 0.9), which keeps the discriminator from pushing the generator into a corner',
          'augmentation and an EMA of the generator, where the run offers them',
          'if it does not recover, start a new run with these changes or another seed (New from config)'
        ],
        actions: offered([lowerBoth, smoothing])
      }
    case 'discriminator-winning':
      return {
        title: TITLES[kind],
        explanation:
          'The discriminator tells real from fake almost perfectly (D(x) near 1, D(G(z)) near 0) and Loss_G keeps climbing: ' +
          'the generator gets too little signal to improve. Small folders and a discriminator that learns faster than the generator cause it.',
        tries: [
          'label smoothing (real labels 0.9), so the discriminator is never fully certain',
          "lower the discriminator's learning rate",
          'fewer D steps per G step',
          'augmentation, where the run offers it, or a bigger folder: the discriminator cannot memorize what it sees only once'
        ],
        actions: offered([smoothing, lowerD, ...(config.dStepsPerG > 1 ? [fewerDSteps] : [])])
      }
    case 'instability':
      return {
        title: TITLES[kind],
        explanation:
          'The losses keep spiking: the two networks overshoot each other instead of settling. On a small folder this is ' +
          'the discriminator memorizing the images, then being fooled all at once.',
        tries: [
          'lower the learning rates',
          'label smoothing (real labels 0.9)',
          'a bigger folder, or augmentation where the run offers it, so the discriminator cannot memorize the images'
        ],
        actions: offered([lowerBoth, smoothing])
      }
    case 'no-progress':
      return {
        title: TITLES[kind],
        explanation:
          'The image quality (SWD) has not improved for a long stretch: more iterations of this run are unlikely to help. ' +
          'It may have learned what this model size can, or be stuck.',
        tries: [
          'lower the learning rates, which often lets a stuck run settle further',
          'stop here and compare with a run that changes one thing (a bigger model, another loss, another seed)'
        ],
        actions: offered([lowerBoth])
      }
  }
}

/** Whether a resume with `change` gives a config the schema accepts, and changes something. */
export function acceptsChange(config: RunConfig, change: ResumeChange): boolean {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined)
  if (entries.length === 0) return false
  if (entries.every(([key, value]) => (config as Record<string, unknown>)[key] === value)) return false
  return runConfigSchema.safeParse({ ...config, ...Object.fromEntries(entries) }).success
}

/** What a change does to this run's settings, for a button's title: "Label smoothing 0 → 0.1". */
export function describeChange(config: RunConfig, change: ResumeChange): string {
  return Object.entries(change)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${configField(key as ConfigKey).label} ${String((config as Record<string, unknown>)[key])} → ${String(value)}`)
    .join(', ')
}

/** The alerts still going on (no end yet). */
export function openAlerts(alerts: readonly HealthAlert[]): HealthAlert[] {
  return alerts.filter((a) => a.endIteration === null)
}
