// The optimizers a run can train with, behind one shape: the step, the trainer's checkpoints and the wasm
// engine's fused update take either.
import type * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/config'
import { Adam, ADAM_EPSILON } from './adam'
import { RmsProp, RMSPROP_ALPHA, RMSPROP_EPSILON } from './rmsprop'

export type Optimizer = Adam | RmsProp

export interface GanOptimizers {
  generator: Optimizer
  discriminator: Optimizer
}

/** The run's optimizer for one network's parameters, at that network's learning rate. */
export function createOptimizer(config: Pick<RunConfig, 'optimizer' | 'beta1' | 'beta2'>, params: tf.Variable[], learningRate: number): Optimizer {
  if (config.optimizer === 'rmsprop') return new RmsProp(params, { learningRate, alpha: RMSPROP_ALPHA, epsilon: RMSPROP_EPSILON })
  return new Adam(params, { learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: ADAM_EPSILON })
}

export function createOptimizers(
  config: Pick<RunConfig, 'optimizer' | 'beta1' | 'beta2' | 'lrD' | 'lrG'>,
  nets: { generator: { params: { trainable: tf.Variable[] } }; discriminator: { params: { trainable: tf.Variable[] } } }
): GanOptimizers {
  return {
    generator: createOptimizer(config, nets.generator.params.trainable, config.lrG),
    discriminator: createOptimizer(config, nets.discriminator.params.trainable, config.lrD)
  }
}

export function disposeOptimizers(optimizers: GanOptimizers): void {
  optimizers.generator.dispose()
  optimizers.discriminator.dispose()
}
