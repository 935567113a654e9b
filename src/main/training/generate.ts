// Generator inference for grids, exploration and exports: eval mode (BatchNorm running statistics), so a
// latent vector always gives the same image, whatever else is in the batch.
import * as tf from '@tensorflow/tfjs'
import { wasmEngineApplies, wasmGenerate } from './backend/wasm-dcgan'
import { EVAL } from './layers'
import type { Network } from './network'

/** Images (NHWC floats in [-1, 1]) for latent vectors given as a flat array of n * nz values. */
export function generateImages(generator: Network, nz: number, latents: Float32Array): Float32Array {
  if (latents.length === 0 || latents.length % nz !== 0) {
    throw new Error(`latent vectors must be a multiple of nz = ${nz} values, got ${latents.length}`)
  }
  return tf.tidy(() => {
    const z = tf.tensor4d(latents, [latents.length / nz, 1, 1, nz])
    if (wasmEngineApplies(generator)) return wasmGenerate(generator, z)
    return generator.apply(z, EVAL).dataSync() as Float32Array
  })
}
