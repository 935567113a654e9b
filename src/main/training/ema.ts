// The generator's exponential moving average (Karras et al. 2018; Yazici et al. 2019): after every G step,
// each weight of a second generator moves a (1 - decay) share of the way to the trained one. Its samples are
// steadier and usually better than the raw generator's, at no training cost. BatchNorm's running
// statistics are copied, not averaged (as StyleGAN2-ADA does): they describe the raw generator's layers.
import * as tf from '@tensorflow/tfjs'
import type { Network } from './network'

export class GeneratorAverage {
  constructor(
    /** A generator of the same shape, holding the average; it starts as a copy of `source`. */
    readonly network: Network,
    private readonly source: Network,
    readonly decay: number
  ) {
    this.copyFromSource()
  }

  /** After a G step: average = source + decay * (average - source), as PyTorch's p.lerp(p_ema, decay). */
  update(): void {
    const { decay } = this
    tf.tidy(() => {
      this.source.params.trainable.forEach((p, i) => {
        const average = this.network.params.trainable[i]
        average.assign(tf.add(p, tf.mul(tf.sub(average, p), decay)))
      })
      this.copyBuffers()
    })
  }

  /** Makes the average equal to the source (a new run, or a checkpoint saved without an average). */
  copyFromSource(): void {
    tf.tidy(() => {
      this.source.params.trainable.forEach((p, i) => this.network.params.trainable[i].assign(p))
      this.copyBuffers()
    })
  }

  private copyBuffers(): void {
    this.source.params.buffers.forEach((b, i) => this.network.params.buffers[i].assign(b))
  }

  dispose(): void {
    this.network.params.dispose()
  }
}
