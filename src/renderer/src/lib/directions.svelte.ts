// The Directions tab's state: the checkpoint's SeFa or GANSpace directions and the run's saved ones, how far
// the picked vector is moved along each (in standard deviations), and saving a direction under a name.
import { DIRECTION_METHOD_NAMES, describeDirectionSource, moveAlong, type DirectionMethod, type LatentDirections, type SavedDirection } from '../../../shared/latent-directions'
import { api, messageOf } from './api'
import type { ExploreState } from './explore.svelte'

/** One slider: a computed direction ('sefa:3') or a saved one ('saved:12'). */
export interface DirectionRow {
  key: string
  label: string
  /** Its share of the first layer's variance, for computed ones. */
  share: number | null
  /** Where it came from, e.g. 'sefa:3', as saved with it. */
  source: string
  vector: number[]
  saved: SavedDirection | null
}

/** Sliders shown per method. */
export const SHOWN_DIRECTIONS = 10

export class DirectionsState {
  method = $state<DirectionMethod>('sefa')
  found = $state<LatentDirections | null>(null)
  loading = $state(false)
  error = $state<string | null>(null)
  saved = $state<SavedDirection[]>([])
  /** Standard deviations along each row, by row key; absent means 0. */
  amounts = $state<Record<string, number>>({})
  private loads = 0

  constructor(private readonly explore: ExploreState) {
    void this.loadSaved()
  }

  readonly rows = $derived.by((): DirectionRow[] => {
    const computed = (this.found?.directions ?? []).map((d) => ({
      key: describeDirectionSource(this.found!.method, d.rank),
      label: `${DIRECTION_METHOD_NAMES[this.found!.method]} ${d.rank}`,
      share: d.share,
      source: describeDirectionSource(this.found!.method, d.rank),
      vector: d.vector,
      saved: null
    }))
    const saved = this.saved.map((s) => ({ key: `saved:${s.id}`, label: s.name, share: null, source: s.source, vector: s.vector, saved: s }))
    return [...computed, ...saved]
  })

  /** The picked vector moved along every row by its amount. */
  moved(base: number[]): number[] {
    return Array.from(moveAlong(base, this.rows.map((r) => ({ direction: r.vector, amount: this.amounts[r.key] ?? 0 }))))
  }

  /** Loads the directions of the checkpoint being explored (the generator worker caches them per checkpoint). */
  async load(method: DirectionMethod, iteration: number | null): Promise<void> {
    if (iteration === null) return
    const call = ++this.loads
    this.loading = true
    try {
      const found = await api.latentDirections({ runId: this.explore.runId, iteration, method, count: SHOWN_DIRECTIONS })
      if (call !== this.loads) return
      // Another checkpoint's directions are other vectors: the sliders start again from 0.
      if (this.found?.iteration !== found.iteration || this.found.method !== found.method) this.resetComputed()
      this.found = found
      this.error = null
    } catch (error) {
      if (call === this.loads) this.error = messageOf(error)
    } finally {
      if (call === this.loads) this.loading = false
    }
  }

  reset(): void {
    this.amounts = {}
  }

  private resetComputed(): void {
    this.amounts = Object.fromEntries(Object.entries(this.amounts).filter(([key]) => key.startsWith('saved:')))
  }

  async save(row: DirectionRow, name: string): Promise<boolean> {
    try {
      const saved = await api.saveDirection(this.explore.runId, { name, source: row.source, iteration: this.found?.iteration ?? null, vector: row.vector })
      this.saved = [...this.saved.filter((s) => s.id !== saved.id), saved]
      return true
    } catch (error) {
      this.error = messageOf(error)
      return false
    }
  }

  async remove(saved: SavedDirection): Promise<void> {
    try {
      await api.deleteDirection(this.explore.runId, saved.id)
      this.saved = this.saved.filter((s) => s.id !== saved.id)
      delete this.amounts[`saved:${saved.id}`]
    } catch (error) {
      this.error = messageOf(error)
    }
  }

  private async loadSaved(): Promise<void> {
    try {
      this.saved = await api.listDirections(this.explore.runId)
    } catch (error) {
      this.error = messageOf(error)
    }
  }
}
