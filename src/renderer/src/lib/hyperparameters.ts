// The new-run form's logic: which fields it edits (from the shared table of settings), its presets, the
// one that fits this machine, and the problems with a config, field by field.
import { CONFIG_FIELDS, type ConfigField } from '../../../shared/config-fields'
import { conditionalClassesProblem } from '../../../shared/classes'
import { PRESETS, runConfigSchema, type PresetName, type RunConfigInput } from '../../../shared/config'
import { hasTargets, isLoss, lossDefaults } from '../../../shared/training-options'
import type { DatasetClasses } from '../../../shared/dataset'

/** The form's number, select and checkbox fields, in the table's order (training length and backend have their own). */
export const FORM_FIELDS: ConfigField[] = CONFIG_FIELDS.filter((f) => f.kind === 'number' || f.kind === 'select' || f.kind === 'checkbox' || f.kind === 'checkboxes')

/** Whether the form shows this setting (its problems are marked there; others are listed by Start). */
export function isFormField(key: string): boolean {
  return CONFIG_FIELDS.some((f) => f.key === key && f.kind !== 'none')
}

export const PRESET_CHOICES: { id: PresetName; label: string; help: string }[] = [
  { id: 'cpuQuick', label: 'CPU quick (32 px)', help: '32 px, ngf = ndf = 32, batch 64, 1,200 iterations: recognisable digits in about 5 minutes on a laptop CPU.' },
  { id: 'paper', label: 'Paper (64 px)', help: 'The DCGAN paper’s settings: 64 px, ngf = ndf = 64, batch 128, 5 epochs. Slow without a GPU.' }
]

/** The paper's settings where a GPU backend is available; the CPU preset everywhere else. */
export function defaultPreset(hasGpu: boolean): PresetName {
  return hasGpu ? 'paper' : 'cpuQuick'
}

/** A new form's config: the preset, and the defaults of what presets leave out (the BCE loss's settings among them). */
export function presetConfig(id: PresetName): RunConfigInput {
  return { seed: 999, labelSmoothing: 0, checkpointEvery: 500, sampleEvery: 100, backend: 'auto', arch: 'dcgan', loss: 'bce', ...lossDefaults('bce'), augment: [], ema: 0, ...PRESETS[id] }
}

/** A field's new value, with what it brings: a loss its paper's settings, an architecture its D's default norm. */
export function withField(config: RunConfigInput, key: keyof RunConfigInput, value: unknown): RunConfigInput {
  const next: RunConfigInput = { ...config, [key]: value }
  if (key === 'loss' && isLoss(value)) {
    Object.assign(next, lossDefaults(value, next.arch))
    // Hinge and WGAN losses have no labels to smooth.
    if (!hasTargets(value)) next.labelSmoothing = 0
  }
  if (key === 'arch') next.dNorm = lossDefaults(isLoss(next.loss) ? next.loss : 'bce', value === 'mlp' ? 'mlp' : 'dcgan').dNorm
  return next
}

/** A preset applied to a config: its values replace those it names, and the training length is its own. */
export function withPreset(config: RunConfigInput, id: PresetName): RunConfigInput {
  const next: RunConfigInput = { ...config }
  delete next.iterations
  delete next.epochs
  return { ...next, ...PRESETS[id] }
}

/** The preset whose every value the config has (and no other training length), if any. */
export function activePreset(config: RunConfigInput): PresetName | null {
  const matches = (id: PresetName) => {
    const preset: RunConfigInput = PRESETS[id]
    const sameLength = (preset.iterations === undefined) === (config.iterations === undefined)
    return sameLength && Object.entries(preset).every(([key, value]) => config[key as keyof RunConfigInput] === value)
  }
  return PRESET_CHOICES.find((p) => matches(p.id))?.id ?? null
}

export type FieldErrors = Partial<Record<string, string>>

/**
 * The config a form describes, or the problems with it, field by field. With the data set's size, a batch
 * larger than the data set is one of them (no batch could be drawn); with its classes, a conditional run on
 * data without usable classes.
 */
export function validateConfig(
  input: RunConfigInput,
  data: { count: number; classes?: DatasetClasses | null; source?: string } | null = null
): { ok: true } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const result = runConfigSchema.safeParse(input)
  if (!result.success) {
    for (const issue of result.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message
  }
  const batch = Number(input.batchSize ?? 128)
  if (data && !errors.batchSize && batch > data.count) {
    errors.batchSize = `batch size must be at most the data set’s ${data.count.toLocaleString('en')} images: lower it, or add images`
  }
  if (data && input.conditional === true) {
    const problem = conditionalClassesProblem(data.classes ?? null, data.source ?? 'this data set', { turnOff: 'untick “Conditional on classes”' })
    if (problem) errors.conditional = `${problem.message} ${problem.hint}`
  }
  return Object.keys(errors).length === 0 ? { ok: true } : { ok: false, errors }
}
