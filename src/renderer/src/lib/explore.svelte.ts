// The explore screen's shared state: the generator's checkpoint, the picked latent vectors (local until
// saved, then kept in the run's database), and the vector being edited.
import type { GeneratorInfo } from '../../../shared/api'
import type { SavedLatent } from '../../../shared/runs'
import { api, messageOf } from './api'

export interface PickedVector {
  /** Local id; saved vectors also have their database id. */
  key: string
  name: string
  vector: number[]
  image: string | null
  savedId: number | null
  /** The name it was saved under, to notice a rename. */
  savedName: string | null
}

let counter = 0

export class ExploreState {
  info = $state<GeneratorInfo | null>(null)
  iteration = $state<number | null>(null)
  picked = $state<PickedVector[]>([])
  error = $state<string | null>(null)

  constructor(readonly runId: number) {
    void this.load()
  }

  async load(): Promise<void> {
    try {
      this.info = await api.describeGenerator(this.runId)
      this.iteration = this.info.checkpoints[this.info.checkpoints.length - 1]
      const saved = await api.listLatents(this.runId)
      this.picked = saved.map((s) => this.fromSaved(s))
      void this.renderMissing()
    } catch (error) {
      this.error = messageOf(error)
    }
  }

  private fromSaved(saved: SavedLatent): PickedVector {
    return { key: `saved-${saved.id}`, name: saved.name, vector: saved.vector, image: null, savedId: saved.id, savedName: saved.name }
  }

  pick(vector: ArrayLike<number>, name: string, image: string | null): PickedVector {
    const item: PickedVector = { key: `local-${++counter}`, name, vector: Array.from(vector), image, savedId: null, savedName: null }
    this.picked.push(item)
    return item
  }

  /** Saves (or re-saves after a rename or an edit) the vector under its name. */
  async save(item: PickedVector): Promise<void> {
    try {
      if (item.savedId !== null && item.savedName !== item.name.trim()) await api.deleteLatent(this.runId, item.savedId)
      const saved = await api.saveLatent(this.runId, item.name, item.vector)
      const i = this.picked.findIndex((p) => p.key === item.key)
      if (i >= 0) this.picked[i] = { ...this.picked[i], savedId: saved.id, name: saved.name, savedName: saved.name }
    } catch (error) {
      this.error = messageOf(error)
    }
  }

  async remove(item: PickedVector): Promise<void> {
    if (item.savedId !== null) await api.deleteLatent(this.runId, item.savedId).catch((e) => (this.error = messageOf(e)))
    this.picked = this.picked.filter((p) => p.key !== item.key)
  }

  /** Thumbnails of the picked vectors at the current checkpoint (after loading, or a checkpoint change). */
  async renderMissing(force = false): Promise<void> {
    const todo = this.picked.filter((p) => force || p.image === null)
    if (todo.length === 0) return
    try {
      const result = await api.generate({ runId: this.runId, iteration: this.iteration, vectors: todo.map((p) => p.vector) })
      todo.forEach((p, i) => {
        const item = this.picked.find((q) => q.key === p.key)
        if (item) item.image = result.images[i]
      })
    } catch (error) {
      this.error = messageOf(error)
    }
  }
}
