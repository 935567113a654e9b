// The explore screen's shared state: the checkpoint explored (the newest by default, followed while the run
// trains), the picked latent vectors (each saved with the run as it is picked, so leaving the screen loses
// none), and the interpolation chosen (the strip export uses it).
import type { GeneratedImages, GeneratorChoice, GeneratorInfo } from '../../../shared/api'
import { classLabel, classOf, setClass } from '../../../shared/classes'
import type { InterpolationMode } from '../../../shared/latent'
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
  /** Why the last save failed (the pick stays on screen, marked, and is saved again on reconnect). */
  saveError: string | null
}

/** Between which two picked vectors, how, and in how many frames (the strip). */
export interface InterpolationChoice {
  aKey: string | null
  bKey: string | null
  /** A conditional generator: the class each end is drawn as (null: the vector's own). */
  aClass: number | null
  bClass: number | null
  mode: InterpolationMode
  frames: number
}

/** 'latest' follows the newest checkpoint as training saves new ones; a number stays on that iteration. */
export type CheckpointChoice = 'latest' | number

/** What every image depends on: the checkpoint and which of its generators. */
export interface ImageSource {
  iteration: number | null
  generator: GeneratorChoice
}

let counter = 0

export class ExploreState {
  info = $state<GeneratorInfo | null>(null)
  /** 'waiting': the run has no checkpoint yet; the screen opens when training saves one. */
  status = $state<'loading' | 'waiting' | 'ready' | 'failed'>('loading')
  /** Why the screen could not open (shown in place of it, with a retry). */
  loadError = $state<string | null>(null)
  choice = $state<CheckpointChoice>('latest')
  /** The iteration every panel asks the generator for. */
  iteration = $derived(this.choice === 'latest' ? (this.info?.checkpoints.at(-1) ?? null) : this.choice)
  /** The moving average (runs trained with EMA: their default) or the trained generator. */
  generator = $state<GeneratorChoice>('ema')
  /** What every panel renders from; read it in an effect to render again when either part changes. */
  source = $derived<ImageSource>({ iteration: this.iteration, generator: this.generator })
  /** The chosen checkpoint is no longer saved (training pruned it). */
  gone = $derived(this.choice !== 'latest' && this.info !== null && !this.info.checkpoints.includes(this.choice))
  /** What happened to the chosen checkpoint, when it changed under the user. */
  note = $state<string | null>(null)
  picked = $state<PickedVector[]>([])
  interpolation = $state<InterpolationChoice>({ aKey: null, bKey: null, aClass: null, bClass: null, mode: 'spherical', frames: 8 })
  /** A conditional generator's class names (empty for others): its vectors end in one weight per class. */
  classes = $derived(this.info?.classes ?? [])
  /** The two ends of the chosen interpolation, each as the class chosen for it; null until two are chosen. */
  interpolationEnds = $derived.by((): [number[], number[]] | null => {
    const { aKey, bKey, aClass, bClass } = this.interpolation
    const a = this.picked.find((p) => p.key === aKey)
    const b = this.picked.find((p) => p.key === bKey)
    if (!a || !b || !this.info) return null
    return [this.asClass(a.vector, aClass), this.asClass(b.vector, bClass)]
  })
  error = $state<string | null>(null)
  private refreshes = 0
  /** The deleted checkpoint the note last told about: a dismissed note does not come back for it. */
  private toldGone: CheckpointChoice | null = null
  private readonly unsubscribe: () => void

  constructor(readonly runId: number) {
    const offEvent = api.onEvent((event) => {
      // A new checkpoint: training may also have pruned old ones.
      if (event.type === 'run' && event.runId === runId && (event.event.type === 'checkpoint' || event.event.type === 'started')) void this.refresh()
    })
    // Events missed while a browser's connection was down; picks that could not be saved meanwhile.
    const offConnection = api.onConnection((state) => {
      if (state !== 'connected') return
      void this.refresh()
      for (const item of this.picked) if (item.saveError !== null) void this.save(item)
    })
    this.unsubscribe = () => (offEvent(), offConnection())
    void this.refresh()
  }

  close(): void {
    this.unsubscribe()
  }

  /** Reloads the list of checkpoints (the first time: the saved vectors too). */
  async refresh(): Promise<void> {
    const call = ++this.refreshes
    try {
      if (this.info === null && (await api.listCheckpoints(this.runId)).length === 0) {
        if (call === this.refreshes) this.status = 'waiting'
        return
      }
      const info = await api.describeGenerator(this.runId)
      if (call !== this.refreshes) return // a newer refresh answers
      const first = this.info === null
      this.info = info
      this.status = 'ready'
      this.loadError = null
      if (this.gone && this.toldGone !== this.choice) {
        this.toldGone = this.choice
        this.note = `Iteration ${this.choice.toLocaleString()} was deleted by training (it keeps only its newest checkpoints unless one is pinned on the run page); it stays explorable while loaded.`
      }
      if (first) await this.loadSaved()
    } catch (error) {
      if (call !== this.refreshes) return
      if (this.info) this.error = messageOf(error)
      else ((this.status = 'failed'), (this.loadError = messageOf(error)))
    }
  }

  /** A vector drawn as class k (null: as it is). */
  asClass(vector: number[], k: number | null): number[] {
    return k === null || !this.info || this.classes.length === 0 ? vector : setClass(vector, this.info.nz, k, this.classes.length)
  }

  /** How a vector's class reads ('3 (Dress)'), or null for an unconditional generator. */
  classNameOf(vector: number[]): string | null {
    if (!this.info || this.classes.length === 0) return null
    const k = classOf(vector, this.info.nz, this.classes.length)
    const mixed = vector.slice(this.info.nz).filter((w) => w !== 0).length > 1
    return k === null ? null : `${mixed ? 'mostly ' : ''}${classLabel(this.classes, k)}`
  }

  choose(choice: CheckpointChoice): void {
    this.choice = choice
    this.note = null
  }

  /**
   * Every answer from the generator passes here: when the iteration asked for was pruned and is no longer
   * loaded, the nearest saved checkpoint answered, and the screen moves to it, saying so.
   */
  served(requested: number | null, result: GeneratedImages): void {
    if (requested === null || result.iteration === requested) return
    if (this.choice === 'latest') return void this.refresh()
    if (this.choice !== requested) return
    this.choice = result.iteration
    this.note = `Iteration ${requested.toLocaleString()} was deleted by training; showing the nearest saved checkpoint, iteration ${result.iteration.toLocaleString()}.`
    void this.refresh()
  }

  private async loadSaved(): Promise<void> {
    const saved = await api.listLatents(this.runId)
    this.picked = [...saved.map((s) => this.fromSaved(s)), ...this.picked]
    void this.renderMissing()
  }

  private fromSaved(saved: SavedLatent): PickedVector {
    return { key: `saved-${saved.id}`, name: saved.name, vector: saved.vector, image: null, savedId: saved.id, savedName: saved.name, saveError: null }
  }

  /** A name no other picked vector has: the run keeps one vector per name. */
  private uniqueName(name: string): string {
    const taken = new Set(this.picked.map((p) => p.name.trim()))
    if (!taken.has(name)) return name
    for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`
  }

  /** Adds a vector to the picked ones and saves it with the run at once. */
  pick(vector: ArrayLike<number>, name: string, image: string | null): PickedVector {
    // A vector picked again is the one already picked: clicking a sample twice does not save a copy of it.
    const same = this.picked.find((p) => p.vector.length === vector.length && p.vector.every((v, i) => v === vector[i]))
    if (same) return same
    const item: PickedVector = { key: `local-${++counter}`, name: this.uniqueName(name), vector: Array.from(vector), image, savedId: null, savedName: null, saveError: null }
    this.picked.push(item)
    void this.save(this.picked[this.picked.length - 1])
    return item
  }

  /** Saves (or re-saves after a rename) the vector under its name; a failure is marked on the vector. */
  async save(item: PickedVector): Promise<void> {
    const name = item.name.trim()
    if (name === '' || (item.savedId !== null && item.savedName === name)) return
    const update = (change: Partial<PickedVector>) => {
      const i = this.picked.findIndex((p) => p.key === item.key)
      if (i >= 0) this.picked[i] = { ...this.picked[i], ...change }
    }
    // The run keeps one vector per name: saving under another pick's name would replace that vector.
    if (this.picked.some((p) => p.key !== item.key && p.name.trim() === name)) {
      return update({ saveError: `another picked vector is called "${name}"; give this one another name` })
    }
    try {
      const saved = item.savedId !== null ? await api.renameLatent(this.runId, item.savedId, name) : await api.saveLatent(this.runId, name, item.vector)
      update({ savedId: saved.id, name: saved.name, savedName: saved.name, saveError: null })
    } catch (error) {
      update({ saveError: messageOf(error) })
    }
  }

  async remove(item: PickedVector): Promise<void> {
    if (item.savedId !== null) await api.deleteLatent(this.runId, item.savedId).catch((e) => (this.error = messageOf(e)))
    this.picked = this.picked.filter((p) => p.key !== item.key)
  }

  /** Images for latent vectors from a source (the explored checkpoint's chosen generator). */
  generate(source: ImageSource, vectors: number[][], channel?: string): Promise<GeneratedImages> {
    return api.generate({ runId: this.runId, iteration: source.iteration, generator: source.generator, vectors, channel })
  }

  /** Thumbnails of the picked vectors at the current checkpoint (after loading, or a checkpoint change). */
  async renderMissing(force = false): Promise<void> {
    const todo = this.picked.filter((p) => force || p.image === null)
    const source = this.source
    if (todo.length === 0 || source.iteration === null) return
    try {
      const result = await this.generate(source, todo.map((p) => p.vector))
      this.served(source.iteration, result)
      todo.forEach((p, i) => {
        const item = this.picked.find((q) => q.key === p.key)
        if (item) item.image = result.images[i]
      })
    } catch (error) {
      this.error = messageOf(error)
    }
  }
}
