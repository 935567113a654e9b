// Named TF.js variables for one network, created in a fixed order and initialized from our own PRNG
// (TF.js initializers ignore seeds). The order of `trainable` is the order checkpoints and Adam use.
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'

let instanceCounter = 0

export class ParamSet {
  readonly trainable: tf.Variable[] = []
  /** Not trained by gradients: BatchNorm running statistics. */
  readonly buffers: tf.Variable[] = []
  private readonly prefix: string

  constructor(name: string) {
    // TF.js keeps one global registry of variable names: every instance needs its own prefix.
    this.prefix = `${name}#${++instanceCounter}`
  }

  /** A trainable weight drawn from N(mean, std) with our PRNG. */
  normal(name: string, shape: number[], random: Random, mean: number, std: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1)
    const v = this.variable(tf.tensor(random.normalArray(size, mean, std), shape), true, name)
    this.trainable.push(v)
    return v
  }

  /** A trainable weight filled with one value (BatchNorm beta, biases). */
  filled(name: string, shape: number[], value: number): tf.Variable {
    const v = this.variable(tf.fill(shape, value), true, name)
    this.trainable.push(v)
    return v
  }

  /** A non-trainable buffer (running mean/variance). */
  buffer(name: string, shape: number[], value: number): tf.Variable {
    const v = this.variable(tf.fill(shape, value), false, name)
    this.buffers.push(v)
    return v
  }

  /** The variable shares the initial tensor's data; the tensor itself is released, or it would leak. */
  private variable(initial: tf.Tensor, trainable: boolean, name: string): tf.Variable {
    const v = tf.variable(initial, trainable, `${this.prefix}/${name}`)
    initial.dispose()
    return v
  }

  /** Short names (without the instance prefix), in order: for checkpoints and model export. */
  trainableNames(): string[] {
    return this.trainable.map((v) => this.shortName(v))
  }

  bufferNames(): string[] {
    return this.buffers.map((v) => this.shortName(v))
  }

  parameterCount(): number {
    return this.trainable.reduce((n, v) => n + v.size, 0)
  }

  dispose(): void {
    for (const v of [...this.trainable, ...this.buffers]) v.dispose()
  }

  private shortName(v: tf.Variable): string {
    return v.name.slice(this.prefix.length + 1)
  }
}
