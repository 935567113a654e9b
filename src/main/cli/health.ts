// Training health in the terminal: a few lines when an alert begins (what it is, what to try, the resume
// command that tries it) or ends, and every alert of a run for `show`.
import { describeStretch, healthAdvice, healthTitle, type HealthAlert } from '../../shared/health'
import type { ResumeChange, RunSummary } from '../../shared/runs'

/** The `gan-studio resume` flag of each setting a resume can change. */
const RESUME_FLAGS: Record<keyof ResumeChange, string> = {
  lrD: '--lr-d',
  lrG: '--lr-g',
  backend: '--backend',
  labelSmoothing: '--label-smoothing',
  dStepsPerG: '--d-steps'
}

export function resumeCommandLine(runName: string, change: ResumeChange): string {
  const name = /^[\w.-]+$/.test(runName) ? runName : `"${runName.replace(/"/g, '\\"')}"`
  const flags = (Object.keys(change) as (keyof ResumeChange)[]).filter((key) => change[key] !== undefined).map((key) => `${RESUME_FLAGS[key]} ${change[key]}`)
  return `gan-studio resume ${name} ${flags.join(' ')}`
}

/** An alert as one line: "Mode collapse, from iteration 300: sample diversity 4% of the real images'". */
export function alertLine(alert: HealthAlert): string {
  return `${healthTitle(alert.kind)}, ${describeStretch(alert)}: ${alert.detail}`
}

/** What to print when an alert begins: the alert, what it means, what to try and how. */
export function alertBeganLines(run: Pick<RunSummary, 'name' | 'config'>, alert: HealthAlert): string[] {
  const advice = healthAdvice(alert.kind, run.config)
  const lines = [`Health: ${alertLine(alert)}`, `  ${advice.explanation}`, `  Try: ${advice.tries.join('; ')}.`]
  if (advice.actions.length > 0) {
    lines.push(`  To try it: Ctrl-C (the run pauses), then ${advice.actions.map((a) => `\`${resumeCommandLine(run.name, a.change)}\``).join(' or ')}`)
  }
  return lines
}

/**
 * Follows a run's alerts as the session sends them (all of them each time): the lines for the ones that
 * began or ended since the last call. Divergence is left to the command's closing report, which tells it.
 */
export class HealthLog {
  private readonly told = new Map<string, number | null>()

  constructor(known: HealthAlert[] = []) {
    for (const alert of known) this.told.set(keyOf(alert), alert.endIteration)
  }

  update(run: Pick<RunSummary, 'name' | 'config'>, alerts: HealthAlert[]): string[] {
    const lines: string[] = []
    for (const alert of alerts) {
      if (alert.kind === 'divergence') continue
      const key = keyOf(alert)
      if (!this.told.has(key)) lines.push(...alertBeganLines(run, alert))
      else if (this.told.get(key) === null && alert.endIteration !== null) lines.push(`Health: ${healthTitle(alert.kind)} ended (${describeStretch(alert)}).`)
      this.told.set(key, alert.endIteration)
    }
    return lines
  }
}

const keyOf = (alert: HealthAlert) => `${alert.kind}@${alert.startIteration}`

/** `show`'s health lines: every alert, and what the checks cost. */
export function healthReport(run: Pick<RunSummary, 'health' | 'healthSeconds' | 'trainSeconds'>): string[] {
  const share = run.trainSeconds > 0 ? ` (${((100 * run.healthSeconds) / run.trainSeconds).toFixed(2)}% of the training time)` : ''
  const cost = `checks took ${run.healthSeconds.toFixed(2)} s${share}`
  if (run.health.length === 0) return [`Health: no problems seen; ${cost}`]
  return [`Health: ${run.health.length} alert${run.health.length === 1 ? '' : 's'}; ${cost}`, ...run.health.map((a) => `  ${alertLine(a)}`)]
}
