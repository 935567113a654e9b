// One DCGAN training iteration, as in the PyTorch tutorial: D on an all-real batch (label 1, or 1 - s
// with one-sided label smoothing) and an all-fake batch G(z) (label 0), gradients summed, one D step;
// then G with real labels on D(G(z)) (the non-saturating loss), one G step.
import * as tf from '@tensorflow/tfjs'
import type { Adam } from './adam'
import { readTensor } from './read'
import { bceWithLogits, TRAIN, TRAIN_NO_STATS } from './layers'
import { fastEngineFor } from './fast-engine'
import type { GanNetworks } from './network'

export interface IterationMetrics {
  lossD: number
  lossG: number
  /** Mean D(x) on the real batch, before the D step. */
  dReal: number
  /** Mean D(G(z)) before the D step (the tutorial's D(G(z)) first value). */
  dFakeBefore: number
  /** Mean D(G(z)) after the D step, seen by the G step (the tutorial's second value). */
  dFakeAfter: number
}

export interface GanOptimizers {
  generator: Adam
  discriminator: Adam
}

export interface StepOptions {
  labelSmoothing: number
}

/** One D step on a real batch and noise; returns [lossD, D(x), D(G(z))] as a tensor kept for reading. */
function discriminatorStep(nets: GanNetworks, optimizer: Adam, real: tf.Tensor, noise: tf.Tensor, options: StepOptions): tf.Tensor {
  const { generator: G, discriminator: D } = nets
  return tf.tidy(() => {
    // G's forward happens outside the tape: the fake batch is a constant for D's step (fake.detach()).
    const fake = G.apply(noise, TRAIN)
    let figures: tf.Tensor | null = null
    const { grads } = tf.variableGrads(() => {
      const realLogits = D.apply(real, TRAIN)
      const fakeLogits = D.apply(fake, TRAIN)
      const loss = tf.add(bceWithLogits(realLogits, 1 - options.labelSmoothing), bceWithLogits(fakeLogits, 0))
      figures = tf.keep(tf.stack([loss, tf.mean(tf.sigmoid(realLogits)), tf.mean(tf.sigmoid(fakeLogits))]))
      return loss as tf.Scalar
    }, D.params.trainable)
    optimizer.apply(D.params.trainable.map((p) => grads[p.name]))
    return figures as unknown as tf.Tensor
  })
}

/** One G step; returns [lossG, D(G(z))]. */
function generatorStep(nets: GanNetworks, optimizer: Adam, noise: tf.Tensor): tf.Tensor {
  const { generator: G, discriminator: D } = nets
  return tf.tidy(() => {
    let figures: tf.Tensor | null = null
    const { grads } = tf.variableGrads(() => {
      // The same noise as the D step gives the same fake batch; its statistics were already counted once.
      const logits = D.apply(G.apply(noise, TRAIN_NO_STATS), TRAIN)
      const loss = bceWithLogits(logits, 1)
      figures = tf.keep(tf.stack([loss, tf.mean(tf.sigmoid(logits))]))
      return loss
    }, G.params.trainable)
    optimizer.apply(G.params.trainable.map((p) => grads[p.name]))
    return figures as unknown as tf.Tensor
  })
}

/**
 * Runs `realBatches.length` D steps (one per real batch, each with its own noise), then one G step with
 * the last D step's noise. Reads the figures back with a single asynchronous download: on a GPU nothing
 * waits for the device until then, and a synchronous read is not even possible there in Node.
 */
export async function trainIteration(
  nets: GanNetworks,
  optimizers: GanOptimizers,
  realBatches: tf.Tensor[],
  noises: tf.Tensor[],
  options: StepOptions
): Promise<IterationMetrics> {
  const engine = fastEngineFor(nets.generator, nets.discriminator)
  if (engine) return engine.trainIteration(nets, optimizers, realBatches, noises, options.labelSmoothing)
  let dFigures: tf.Tensor | null = null
  for (let i = 0; i < realBatches.length; i++) {
    dFigures?.dispose()
    dFigures = discriminatorStep(nets, optimizers.discriminator, realBatches[i], noises[i], options)
  }
  const gFigures = generatorStep(nets, optimizers.generator, noises[noises.length - 1])
  const all = tf.concat([dFigures as unknown as tf.Tensor, gFigures])
  tf.dispose([dFigures as unknown as tf.Tensor, gFigures])
  try {
    const [lossD, dReal, dFakeBefore, lossG, dFakeAfter] = await readTensor(all)
    return { lossD, lossG, dReal, dFakeBefore, dFakeAfter }
  } finally {
    all.dispose()
  }
}
