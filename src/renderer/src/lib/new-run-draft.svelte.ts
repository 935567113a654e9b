// The new-run form's contents, kept for the whole session: a user who leaves the form and comes back finds
// it as they left it. It starts on the preset that fits this machine, or on another run's config.
import type { RunConfigInput } from '../../../shared/config'
import type { RunSummary } from '../../../shared/runs'
import { defaultPreset, presetConfig } from './hyperparameters'

class NewRunDraft {
  sourceKind = $state<'folder' | 'builtin'>('builtin')
  folder = $state('')
  builtin = $state('builtin:mnist')
  name = $state('')
  /** Null until the machine's backends are known (they choose the starting preset). */
  config = $state<RunConfigInput | null>(null)
  /** Whose settings the form was filled with, when it was another run's. */
  copiedFrom = $state<string | null>(null)

  /** The first time the form opens: the preset that fits the machine (the paper's only with a GPU). */
  begin(hasGpu: boolean): void {
    if (this.config === null) this.config = presetConfig(defaultPreset(hasGpu))
  }

  /** "New run from this config": the run's settings and data, under a name of its own. */
  copyRun(run: RunSummary): void {
    this.config = { ...run.config }
    if (run.source.startsWith('builtin:')) {
      this.sourceKind = 'builtin'
      this.builtin = run.source
    } else {
      this.sourceKind = 'folder'
      this.folder = run.source
    }
    this.name = ''
    this.copiedFrom = run.name
  }

  /** After a run was created from it: the settings stay for the next one, the name does not. */
  started(): void {
    this.name = ''
    this.copiedFrom = null
  }
}

export const newRunDraft = new NewRunDraft()
