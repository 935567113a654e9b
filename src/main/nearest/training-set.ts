// A run's training images with their nearest-image index: prepared as training prepared them (from the data
// cache), the index read from the cache folder or built once and written there. The last one used stays
// loaded; a request for the same set while it loads waits for that load.
import { parseDatasetSource, prepareDataset, type PreparedDataset } from '../data'
import { indexFilePath, readIndexFile, writeIndexFile } from './index-file'
import { typicalDistance } from './memorization'
import { buildPixelIndex, type PixelIndex } from './pixel-index'
import type { TrainingSetRef } from './protocol'

export interface TrainingSet {
  dataset: PreparedDataset
  index: PixelIndex
  typicalDistance: number
  /** Seconds the index took to build when this load built it; 0 when it came from the cache. */
  builtSeconds: number
}

export class TrainingSets {
  private last: { key: string; set: Promise<TrainingSet> } | null = null

  constructor(private readonly cacheDir: string) {}

  /** The set, and the seconds this call spent building its index (0 when it was loaded before or cached). */
  async get(ref: TrainingSetRef): Promise<{ set: TrainingSet; indexSeconds: number }> {
    const key = JSON.stringify([ref.source, ref.size, ref.channels ?? null])
    if (this.last?.key === key) return { set: await this.last.set, indexSeconds: 0 }
    const set = this.load(ref)
    this.last = { key, set }
    // A failed load is not kept: the next request tries again (the folder may be back).
    set.catch(() => {
      if (this.last?.set === set) this.last = null
    })
    const loaded = await set
    return { set: loaded, indexSeconds: loaded.builtSeconds }
  }

  private async load(ref: TrainingSetRef): Promise<TrainingSet> {
    let dataset: PreparedDataset
    try {
      dataset = await prepareDataset(parseDatasetSource(ref.source), { size: ref.size, channels: ref.channels, cacheDir: this.cacheDir })
    } catch (error) {
      throw new Error(`the training images could not be loaded for the search (${(error as Error).message})`, { cause: error })
    }
    if (dataset.channels !== ref.generatorChannels) {
      throw new Error(`the training images now have ${dataset.channels} channel(s) but the generator makes ${ref.generatorChannels}: was the folder changed since training?`)
    }
    const file = indexFilePath(this.cacheDir, dataset.key)
    const stored = await readIndexFile(file, dataset.key)
    if (stored) return { dataset, index: stored.index, typicalDistance: stored.typicalDistance, builtSeconds: 0 }
    const started = performance.now()
    const index = await buildPixelIndex(dataset)
    const typical = typicalDistance(index, dataset.pixels)
    // The cache is an optimization: a read-only cache folder still gives answers.
    await writeIndexFile(file, { index, typicalDistance: typical }).catch(() => undefined)
    return { dataset, index, typicalDistance: typical, builtSeconds: (performance.now() - started) / 1000 }
  }
}
