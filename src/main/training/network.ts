// What every generator and discriminator offers the training step, the store and the exporters.
import type * as tf from '@tensorflow/tfjs'
import type { ForwardMode } from './layers'
import type { ParamSet } from './params'

export interface Network {
  readonly params: ParamSet
  /** Shape of one input, without the batch axis: [1, 1, nz] for a DCGAN generator, [S, S, nc] for D. */
  readonly inputShape: number[]
  /** A conditional network's number of classes (conditioning.ts); 0 for others. */
  readonly classes: number
  /**
   * G: latent batch -> images in [-1, 1], NHWC. D: images -> logits [N, 1]. A conditional network also takes
   * each image's class weights [N, classes] (one-hot: that class).
   */
  apply(x: tf.Tensor, mode: ForwardMode, classWeights?: tf.Tensor): tf.Tensor
}

export interface GanNetworks {
  generator: Network
  discriminator: Network
}

export function disposeNetworks(nets: GanNetworks): void {
  nets.generator.params.dispose()
  nets.discriminator.params.dispose()
}
