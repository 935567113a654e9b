// The building blocks the networks share: BatchNorm with PyTorch's semantics, layer norm, LeakyReLU, and
// the stable BCE loss.
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import type { DNorm } from '../../shared/training-options'
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
  /**
   * The forward will be differentiated twice (the gradient penalty differentiates D's input gradient):
   * LeakyReLU is then written with ops whose gradients have gradients (see leakyRelu).
   */
  secondOrder?: boolean
}

export const TRAIN: ForwardMode = { training: true, updateStats: true }
/** Training-mode forward that leaves the running statistics alone (a recomputed forward). */
export const TRAIN_NO_STATS: ForwardMode = { training: true, updateStats: false }
export const EVAL: ForwardMode = { training: false, updateStats: false }
/** D on the gradient penalty's interpolates: training mode, no statistics, twice differentiable. */
export const SECOND_ORDER: ForwardMode = { training: true, updateStats: false, secondOrder: true }

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

/**
 * LeakyReLU(0.2). TF.js's LeakyRelu gradient uses Greater, which has no gradient, so a second-order
 * gradient through it fails ("gradient function not found for Greater"); 0.6x + 0.4|x| is the same
 * function, and the gradient of Abs (a Step) has a gradient. Kept off the first-order path, where
 * tf.leakyRelu is one kernel and rounds exactly as before.
 */
export function leakyRelu(x: tf.Tensor, mode: ForwardMode): tf.Tensor {
  if (!mode.secondOrder) return tf.leakyRelu(x, LEAKY_SLOPE)
  return tf.add(tf.mul(x, (1 + LEAKY_SLOPE) / 2), tf.mul(tf.abs(x), (1 - LEAKY_SLOPE) / 2))
}

/**
 * Layer normalization for a discriminator without BatchNorm (WGAN-GP): each image normalized over all its
 * values, then scaled and shifted per channel (PyTorch's GroupNorm with one group; epsilon 1e-5).
 */
export class LayerNorm {
  readonly gamma: tf.Variable
  readonly beta: tf.Variable

  constructor(params: ParamSet, name: string, channels: number, random: Random) {
    // Drawn like BatchNorm's gamma, so the weights after it are the same whichever norm a run chooses.
    this.gamma = params.normal(`${name}/gamma`, [channels], random, 1, 0.02)
    this.beta = params.filled(`${name}/beta`, [channels], 0)
  }

  apply(x: tf.Tensor, _mode: ForwardMode): tf.Tensor {
    return tf.tidy(() => {
      const axes = x.shape.slice(1).map((_, i) => i + 1)
      const { mean, variance } = tf.moments(x, axes, true)
      const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)))
      return tf.add(tf.mul(normalized, this.gamma), this.beta)
    })
  }
}

export const LAYER_NORM_EPSILON = 1e-5

export type Norm = BatchNorm | LayerNorm

/** The discriminator's normalization for one layer of `channels` outputs, or null for none. */
export function createNorm(kind: DNorm, params: ParamSet, index: number, channels: number, random: Random): Norm | null {
  if (kind === 'batch') return new BatchNorm(params, `bn${index}`, channels, random)
  if (kind === 'layer') return new LayerNorm(params, `ln${index}`, channels, random)
  return null
}
