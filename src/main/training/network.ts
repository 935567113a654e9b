// What every generator and discriminator offers the training step, the store and the exporters.
import type * as tf from '@tensorflow/tfjs'
import type { ForwardMode } from './layers'
import type { ParamSet } from './params'

export interface Network {
  readonly params: ParamSet
  /** Shape of one input, without the batch axis: [1, 1, nz] for a DCGAN generator, [S, S, nc] for D. */
  readonly inputShape: number[]
  /** G: latent batch -> images in [-1, 1], NHWC. D: images -> logits [N, 1]. */
  apply(x: tf.Tensor, mode: ForwardMode): tf.Tensor
}

export interface GanNetworks {
  generator: Network
  discriminator: Network
}

export function disposeNetworks(nets: GanNetworks): void {
  nets.generator.params.dispose()
  nets.discriminator.params.dispose()
}
