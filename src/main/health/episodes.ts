// Turns a check's answers over time into an alert with a start and an end: a problem must be seen for a
// while before it is an alert (a strong discriminator for a few iterations is normal), and be gone for a
// while before the alert ends (one good moment in a bad stretch does not end it).
import type { HealthAlert, HealthKind } from '../../shared/health'
import type { Check } from './detectors'

export interface EpisodeRule {
  /** The problem must have been seen over at least this many iterations... */
  sustain: number
  /** ...and at this many checks in a row (for checks that come seldom, as sample grids do). */
  sustainChecks?: number
  /** An alert ends once the problem has not been seen for this many iterations (0: at the first check without it). */
  clear: number
}

export class EpisodeTracker {
  /** Where the problem began (a check may know it began before the check that first saw it)... */
  private streakStart: number | null = null
  /** ...and the first check that saw it: `sustain` counts from here. */
  private firstSeen: number | null = null
  private streakChecks = 0
  private lastSeen: number | null = null
  private open: HealthAlert | null = null

  constructor(
    private readonly kind: HealthKind,
    private readonly rule: EpisodeRule
  ) {}

  /** The alert this check opened or ended, if it did. */
  update(iteration: number, check: Check): HealthAlert | null {
    if (check.holds) {
      this.streakStart ??= Math.min(check.since ?? iteration, iteration)
      this.firstSeen ??= iteration
      this.streakChecks++
      this.lastSeen = iteration
      if (this.open) return null
      if (iteration - this.firstSeen >= this.rule.sustain && this.streakChecks >= (this.rule.sustainChecks ?? 1)) {
        this.open = { kind: this.kind, startIteration: this.streakStart, endIteration: null, detail: check.detail }
        return this.open
      }
      return null
    }
    if (this.lastSeen === null || iteration - this.lastSeen < this.rule.clear) {
      // Not seen at this check, but recently enough that an open alert goes on.
      if (!this.open) this.reset()
      return null
    }
    const ended = this.open ? { ...this.open, endIteration: this.lastSeen } : null
    this.open = null
    this.reset()
    return ended
  }

  private reset(): void {
    this.streakStart = null
    this.firstSeen = null
    this.streakChecks = 0
    this.lastSeen = null
  }
}
