// Generator inference for grids, exploration and exports: eval mode (BatchNorm running statistics), so a
// latent vector always gives the same image, whatever else is in the batch.
import * as tf from '@tensorflow/tfjs'
import { fastEngineFor } from './fast-engine'
import { EVAL } from './layers'
import type { Network } from './network'
import { readTensor } from './read'

/** Images (NHWC floats in [-1, 1]) for latent vectors given as a flat array of n * nz values. */
export async function generateImages(generator: Network, nz: number, latents: Float32Array): Promise<Float32Array> {
  if (latents.length === 0 || latents.length % nz !== 0) {
    throw new Error(`latent vectors must be a multiple of nz = ${nz} values, got ${latents.length}`)
  }
  const z = tf.tensor4d(latents, [latents.length / nz, 1, 1, nz])
  try {
    const engine = fastEngineFor(generator)
    if (engine) return engine.generate(generator, z)
    // The pixels are read outside tf.tidy: tidy walks whatever its function returns looking for tensors,
    // which for a typed array means visiting every element (a second for 64 images at 64 px).
    const images = tf.tidy(() => generator.apply(z, EVAL))
    try {
      return await readTensor(images)
    } finally {
      images.dispose()
    }
  } finally {
    z.dispose()
  }
}
