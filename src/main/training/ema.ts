// The generator's exponential moving average (Karras et al. 2018; Yazici et al. 2019): after every G step,
// each weight of a second generator moves a (1 - decay) share of the way to the trained one. Its samples are
// steadier and usually better than the raw generator's, at no training cost. BatchNorm's running
// statistics are copied, not averaged (as StyleGAN2-ADA does): they describe the raw generator's layers.
//
// The decay warms up as TensorFlow's ExponentialMovingAverage(num_updates) does, min(decay, (1 + t) / (10 + t))
// after t updates: with 0.999 from the start, a 400-iteration run's average would still be two thirds its
// random initial generator (0.999^400 = 0.67). It reaches 0.999 after about 9,000 iterations.
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

  /** The decay of the update after `updates` earlier ones. */
  decayAt(updates: number): number {
    return Math.min(this.decay, (1 + updates) / (10 + updates))
  }

  /**
   * After a G step, the run's `updates`-th since it began (0 for the first): average = source + d * (average -
   * source), as PyTorch's p.lerp(p_ema, d), with d = decayAt(updates).
   */
  update(updates: number): void {
    const decay = this.decayAt(updates)
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
