// WGAN-GP's gradient penalty (Gulrajani et al. 2017) and WGAN's weight clipping: the two ways of keeping
// the critic 1-Lipschitz.
import * as tf from '@tensorflow/tfjs'
import { SECOND_ORDER } from './layers'
import type { Network } from './network'

/**
 * mean over images of (|grad_x D(x)| - 1)^2 at x = e real + (1 - e) fake, one e per image (`mix`). Called
 * under D's gradient tape: the tape then differentiates D's input gradient, a second-order gradient, which
 * is why D runs in SECOND_ORDER mode here. A conditional critic sees the batch's classes (`classWeights`); the
 * gradient is taken with respect to the image only, as in conditional WGAN-GP.
 */
export function gradientPenalty(D: Network, real: tf.Tensor, fake: tf.Tensor, mix: Float32Array, classWeights?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = real.shape[0]
    const e = tf.reshape(tf.tensor1d(mix), [n, ...real.shape.slice(1).map(() => 1)])
    const interpolates = tf.add(tf.mul(real, e), tf.mul(fake, tf.sub(1, e)))
    // Summed over the batch: each image's score depends on that image only (no BatchNorm in D), so the
    // gradient of the sum holds every image's own gradient.
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(D.apply(x, SECOND_ORDER, classWeights)))(interpolates)
    const norms = tf.sqrt(tf.sum(tf.square(tf.reshape(gradient, [n, -1])), 1))
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar
  })
}

/** Clips every weight to [-c, c] (WGAN: all of the critic's parameters, as the reference code does). */
export function clipWeights(params: readonly tf.Variable[], c: number): void {
  tf.tidy(() => {
    for (const p of params) p.assign(tf.clipByValue(p, -c, c))
  })
}
