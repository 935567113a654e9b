// Adam as PyTorch computes it (bias-corrected, epsilon outside the square root, 1e-8). Our own rather
// than tf.train.adam so that its state is plainly ordered like the network's parameters and the bias
// corrections come from the step count in float64: a resumed run then takes bit-identical steps.
import * as tf from '@tensorflow/tfjs'

export interface AdamSettings {
  learningRate: number
  beta1: number
  beta2: number
  epsilon: number
}

export const ADAM_EPSILON = 1e-8

export interface AdamStep {
  beta1: number
  beta2: number
  stepSize: number
  scaledEpsilon: number
}

export class Adam {
  readonly kind = 'adam'
  private readonly m: tf.Variable[]
  private readonly v: tf.Variable[]
  /** Completed steps. */
  step = 0

  constructor(
    private readonly params: tf.Variable[],
    private readonly settings: AdamSettings
  ) {
    // tidy releases the zero tensors; each variable keeps its own reference to their data.
    this.m = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)))
    this.v = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)))
  }

  /** Applies one step; `grads[i]` belongs to `params[i]`. Does not dispose the gradients. */
  apply(grads: tf.Tensor[]): void {
    const { beta1, beta2, stepSize, scaledEpsilon } = this.beginStep()
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i]
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1))
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2))
        this.m[i].assign(m)
        this.v[i].assign(v)
        p.assign(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), scaledEpsilon)), stepSize)))
      })
    })
  }

  /**
   * Counts one step and returns the scalars of its update, for callers that apply it themselves (the wasm
   * engine's fused loop): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, p -= stepSize m / (sqrt(v) + scaledEpsilon).
   */
  beginStep(): AdamStep {
    const { learningRate, beta1, beta2, epsilon } = this.settings
    this.step += 1
    const correction1 = 1 - beta1 ** this.step
    const sqrtCorrection2 = Math.sqrt(1 - beta2 ** this.step)
    // p -= lr/c1 * m / (sqrt(v)/sqrt(c2) + eps), rearranged to need one scalar multiply fewer.
    return { beta1, beta2, stepSize: (learningRate * sqrtCorrection2) / correction1, scaledEpsilon: epsilon * sqrtCorrection2 }
  }

  /** The parameters, in the order `apply` takes gradients. */
  get parameters(): readonly tf.Variable[] {
    return this.params
  }

  /** First and second moment estimates, one per parameter. */
  get moments(): { m: readonly tf.Variable[]; v: readonly tf.Variable[] } {
    return { m: this.m, v: this.v }
  }

  /** The moment estimates, in parameter order: [m0..mk, v0..vk]. */
  stateTensors(): tf.Variable[] {
    return [...this.m, ...this.v]
  }

  dispose(): void {
    for (const t of this.stateTensors()) t.dispose()
  }
}
