// RMSprop as PyTorch computes it (alpha 0.99, epsilon 1e-8 outside the square root, no momentum, not
// centered): v = alpha v + (1 - alpha) g^2, p -= lr g / (sqrt(v) + eps). The WGAN paper's optimizer.
import * as tf from '@tensorflow/tfjs'

export interface RmsPropSettings {
  learningRate: number
  alpha: number
  epsilon: number
}

/** PyTorch's defaults, which the WGAN reference code keeps. */
export const RMSPROP_ALPHA = 0.99
export const RMSPROP_EPSILON = 1e-8

export class RmsProp {
  readonly kind = 'rmsprop'
  private readonly v: tf.Variable[]
  /** Completed steps (kept for the checkpoint; the update itself does not depend on it). */
  step = 0

  constructor(
    private readonly params: tf.Variable[],
    readonly settings: RmsPropSettings
  ) {
    this.v = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)))
  }

  /** Applies one step; `grads[i]` belongs to `params[i]`. Does not dispose the gradients. */
  apply(grads: tf.Tensor[]): void {
    const { learningRate, alpha, epsilon } = this.beginStep()
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i]
        const v = tf.add(tf.mul(this.v[i], alpha), tf.mul(tf.square(g), 1 - alpha))
        this.v[i].assign(v)
        p.assign(tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(v), epsilon)), learningRate)))
      })
    })
  }

  /** Counts one step and returns its scalars, for callers that apply it themselves (the wasm engine). */
  beginStep(): RmsPropSettings {
    this.step += 1
    return this.settings
  }

  get parameters(): readonly tf.Variable[] {
    return this.params
  }

  /** The running averages of the squared gradients, one per parameter. */
  get squareAverages(): readonly tf.Variable[] {
    return this.v
  }

  stateTensors(): tf.Variable[] {
    return [...this.v]
  }

  dispose(): void {
    for (const t of this.v) t.dispose()
  }
}
