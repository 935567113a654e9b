// The generators the worker keeps loaded, and which checkpoint a request gets. Training prunes its old
// checkpoints (only the newest few unpinned ones stay), so the one being explored can vanish from the store
// at any moment: a loaded generator goes on serving its iteration, and the screen, unlike an export, gets
// the nearest saved checkpoint rather than an error on every frame.
import type { RunSummary } from '../../shared/runs'
import { findCheckpoint, getRun, listCheckpoints, loadCheckpoint, type Db } from '../store'
import { decodeCheckpoint } from '../training/checkpoint'
import { generatorFromCheckpoint, type LoadedGenerator } from '../training/generator-file'
import type { GeneratorChoice } from '../training/trainer'

export class GeneratorCache {
  /** Least recently used first. */
  private readonly loaded = new Map<string, LoadedGenerator>()

  /** Two stay loaded by default: enough to compare two checkpoints without reloading either. */
  constructor(
    private readonly db: Db,
    private readonly keep = 2
  ) {}

  /**
   * The generator of a run's checkpoint (null: the newest): its moving average where the run keeps one,
   * unless `choice` is 'raw'. `exact` (exports) wants that very checkpoint; otherwise a checkpoint that is
   * gone and not loaded is replaced by the nearest saved one.
   */
  get(runId: number, iteration: number | null, exact: boolean, choice: GeneratorChoice = 'ema'): LoadedGenerator {
    const run = getRun(this.db, runId)
    // A loaded generator first: its checkpoint may have been pruned since, and it is still the right one.
    if (iteration !== null) {
      const cached = this.take(keyOf(run, iteration, choice))
      if (cached) return cached
    }
    // Training may prune the chosen checkpoint between finding it and reading it: then choose again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const chosen = this.choose(run, iteration, exact)
      const cached = this.take(keyOf(run, chosen, choice))
      if (cached) return cached
      const state = this.readState(runId, chosen)
      if (!state) continue
      const { snapshot } = decodeCheckpoint(state)
      const generator = generatorFromCheckpoint(run.config, { channels: run.channels!, classes: run.classes?.names ?? [] }, snapshot.iteration, snapshot, choice)
      this.loaded.set(keyOf(run, chosen, choice), generator)
      for (const old of [...this.loaded.keys()].slice(0, -this.keep)) {
        this.loaded.get(old)!.dispose()
        this.loaded.delete(old)
      }
      return generator
    }
    throw new Error(`run "${run.name}" lost its checkpoints while loading one (is it being deleted?)`)
  }

  dispose(): void {
    for (const generator of this.loaded.values()) generator.dispose()
    this.loaded.clear()
  }

  /** Which saved checkpoint serves a request: the one asked for, the newest, or the nearest. */
  private choose(run: RunSummary, iteration: number | null, exact: boolean): number {
    const found = findCheckpoint(this.db, run.id, iteration ?? undefined)
    if (found && run.channels) return found.iteration
    const saved = run.channels ? listCheckpoints(this.db, run.id).map((c) => c.iteration) : []
    if (saved.length === 0) throw new Error(`run "${run.name}" has no checkpoint yet: train it a little first (a checkpoint is saved on pause and stop)`)
    if (iteration === null) return saved[saved.length - 1]
    if (exact) {
      throw new Error(`run "${run.name}" has no checkpoint at iteration ${iteration} (training keeps only its newest checkpoints unless one is pinned); saved: ${saved.join(', ')}`)
    }
    // The nearest; on a tie the newer one, which training is less likely to prune next.
    return saved.reduce((best, it) => (Math.abs(it - iteration) <= Math.abs(best - iteration) ? it : best))
  }

  /** The checkpoint's state, or null when it was pruned meanwhile. */
  private readState(runId: number, iteration: number): Buffer | null {
    try {
      return loadCheckpoint(this.db, runId, iteration)?.state ?? null
    } catch (error) {
      if (findCheckpoint(this.db, runId, iteration) === null) return null
      throw error
    }
  }

  /** A loaded generator, marked as the most recently used. */
  private take(key: string): LoadedGenerator | undefined {
    const generator = this.loaded.get(key)
    if (generator) {
      this.loaded.delete(key)
      this.loaded.set(key, generator)
    }
    return generator
  }
}

/** The run's creation time is in the key: a deleted run's id can be given to a new run. */
function keyOf(run: RunSummary, iteration: number, choice: GeneratorChoice): string {
  return `${run.id}:${run.createdAt}@${iteration}/${run.config.ema > 0 ? choice : 'raw'}`
}
