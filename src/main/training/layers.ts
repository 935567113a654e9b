// The building blocks the networks share: BatchNorm with PyTorch's semantics, and the stable BCE loss.
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import type { ParamSet } from './params'

/** PyTorch's BatchNorm defaults: running = 0.9 * running + 0.1 * batch, epsilon 1e-5. */
export const BATCH_NORM_MOMENTUM = 0.1
export const BATCH_NORM_EPSILON = 1e-5

/**
 * How a network runs: `train` uses batch statistics (and updates the running ones when
 * `updateStats`), `eval` uses the running statistics, so a single latent vector gives the same image
 * whatever else is in the batch.
 */
export interface ForwardMode {
  training: boolean
  updateStats: boolean
}

export const TRAIN: ForwardMode = { training: true, updateStats: true }
/** Training-mode forward that leaves the running statistics alone (a recomputed forward). */
export const TRAIN_NO_STATS: ForwardMode = { training: true, updateStats: false }
export const EVAL: ForwardMode = { training: false, updateStats: false }

export class BatchNorm {
  readonly gamma: tf.Variable
  readonly beta: tf.Variable
  readonly runningMean: tf.Variable
  readonly runningVar: tf.Variable

  constructor(params: ParamSet, name: string, channels: number, random: Random) {
    this.gamma = params.normal(`${name}/gamma`, [channels], random, 1, 0.02)
    this.beta = params.filled(`${name}/beta`, [channels], 0)
    this.runningMean = params.buffer(`${name}/running_mean`, [channels], 0)
    this.runningVar = params.buffer(`${name}/running_var`, [channels], 1)
  }

  /** Normalizes over every axis but the last (channels). */
  apply(x: tf.Tensor, mode: ForwardMode): tf.Tensor {
    if (!mode.training) {
      return tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, BATCH_NORM_EPSILON)
    }
    const axes = x.shape.slice(0, -1).map((_, i) => i)
    const { mean, variance } = tf.moments(x, axes)
    if (mode.updateStats) this.updateRunningStats(mean, variance, x.size / x.shape[x.shape.length - 1])
    return tf.batchNorm(x, mean, variance, this.beta, this.gamma, BATCH_NORM_EPSILON)
  }

  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    // PyTorch keeps the unbiased variance in its running estimate. Inside a gradient tape these ops do not
    // lead to the loss, so the tape prunes them.
    const unbiased = n > 1 ? n / (n - 1) : 1
    tf.tidy(() => {
      const m = BATCH_NORM_MOMENTUM
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)))
      this.runningVar.assign(
        tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, m * unbiased))
      )
    })
  }
}

/**
 * Binary cross-entropy of sigmoid(logits) against a constant label, computed from the logits:
 * softplus(l) - y*l never overflows where log(sigmoid(l)) would.
 */
export function bceWithLogits(logits: tf.Tensor, label: number): tf.Scalar {
  return tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, label)))
}

export const LEAKY_SLOPE = 0.2
