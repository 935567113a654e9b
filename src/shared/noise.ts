// Latent vectors drawn from seeds: the run's fixed noise (the progress grid) and any seed a user picks.
// Shared by the core and the UI, so that both draw exactly the same vectors.
import type { RunConfig } from './config'
import { Random } from './random'

/** The run's fixed-noise batch: the first `count` vectors are the same whatever the count. */
export function fixedNoise(config: Pick<RunConfig, 'seed' | 'nz'>, count: number): Float32Array {
  return new Random(config.seed, 'fixed-noise').normalArray(count * config.nz)
}

/** `count` latent vectors from a user's seed. */
export function seededNoise(seed: number, nz: number, count: number): Float32Array {
  return new Random(seed, 'samples').normalArray(count * nz)
}
