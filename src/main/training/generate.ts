// Generator inference for grids, exploration and exports: eval mode (BatchNorm running statistics), so a
// latent vector always gives the same image, whatever else is in the batch.
import * as tf from '@tensorflow/tfjs'
import { latentLength } from '../../shared/classes'
import { fastEngineFor } from './fast-engine'
import { EVAL } from './layers'
import type { Network } from './network'
import { readTensor } from './read'

/**
 * Images (NHWC floats in [-1, 1]) for latent vectors given as a flat array: n * nz values, or for a
 * conditional generator n * (nz + classes), each vector's z followed by its class weights.
 */
export async function generateImages(generator: Network, nz: number, latents: Float32Array): Promise<Float32Array> {
  const classes = generator.classes
  const length = latentLength(nz, classes)
  if (latents.length === 0 || latents.length % length !== 0) {
    const what = classes === 0 ? `nz = ${nz}` : `nz + classes = ${nz} + ${classes}`
    throw new Error(`latent vectors must be a multiple of ${what} values, got ${latents.length}`)
  }
  const n = latents.length / length
  const [z, classWeights] = classes === 0 ? [tf.tensor4d(latents, [n, 1, 1, nz]), undefined] : splitLatents(latents, n, nz, classes)
  try {
    const engine = fastEngineFor(generator)
    if (engine) return engine.generate(generator, z, classWeights)
    // The pixels are read outside tf.tidy: tidy walks whatever its function returns looking for tensors,
    // which for a typed array means visiting every element (a second for 64 images at 64 px).
    const images = tf.tidy(() => generator.apply(z, EVAL, classWeights))
    try {
      return await readTensor(images)
    } finally {
      images.dispose()
    }
  } finally {
    z.dispose()
    classWeights?.dispose()
  }
}

/** Conditional latent vectors as z [n, 1, 1, nz] and class weights [n, classes]. */
function splitLatents(latents: Float32Array, n: number, nz: number, classes: number): [tf.Tensor4D, tf.Tensor2D] {
  const z = new Float32Array(n * nz)
  const weights = new Float32Array(n * classes)
  for (let i = 0; i < n; i++) {
    const from = i * (nz + classes)
    z.set(latents.subarray(from, from + nz), i * nz)
    weights.set(latents.subarray(from + nz, from + nz + classes), i * classes)
  }
  return [tf.tensor4d(z, [n, 1, 1, nz]), tf.tensor2d(weights, [n, classes])]
}
