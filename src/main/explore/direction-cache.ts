// Latent directions per loaded generator: they depend only on its weights, so each checkpoint's (and, once
// there is a choice, each weight set's) are computed once, on first request, and dropped with it.
import { MAX_DIRECTIONS, type DirectionMethod, type LatentDirections } from '../../shared/latent-directions'
import type { LoadedGenerator } from '../training/generator-file'
import { latentDirections, type FoundDirections } from './directions'
import { firstLayerOf } from './first-layer'

/** Computed at least this many at a time: the sliders show the top ones, a save or an export may ask for more. */
const AT_LEAST = 20

export class DirectionCache {
  private readonly found = new WeakMap<LoadedGenerator, Map<DirectionMethod, FoundDirections>>()

  async get(generator: LoadedGenerator, method: DirectionMethod, count: number): Promise<LatentDirections> {
    const started = performance.now()
    let byMethod = this.found.get(generator)
    if (!byMethod) this.found.set(generator, (byMethod = new Map()))
    let found = byMethod.get(method)
    const fresh = !found || found.directions.length < Math.min(count, generator.meta.config.nz)
    if (fresh) {
      const layer = await firstLayerOf(generator.network, generator.meta.config.nz)
      found = await latentDirections(layer, method, Math.min(MAX_DIRECTIONS, Math.max(AT_LEAST, count)))
      byMethod.set(method, found)
    }
    return {
      method,
      iteration: generator.meta.iteration,
      directions: found!.directions.slice(0, count),
      detail: found!.detail,
      seconds: fresh ? (performance.now() - started) / 1000 : 0
    }
  }
}
