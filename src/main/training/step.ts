// One GAN training iteration, as in the PyTorch DCGAN tutorial: D on an all-real batch and an all-fake batch
// G(z), gradients summed, one D step; then G on D(G(z)), one G step. The loss decides what "real" and "fake"
// push D towards (losses.ts); with the tutorial's BCE, real labels are 1 (1 - s with one-sided label
// smoothing), fake 0, and G trains with real labels (the non-saturating loss). Options: a gradient penalty
// on interpolates (WGAN-GP), weight clipping after each D step (WGAN), DiffAugment on every batch D sees.
// A conditional GAN's batches come with their images' class weights: G draws the real batch's classes (as
// the collection's conditional WGAN-GP does), and D judges real and fake images with those classes. DiffAugment
// changes the images only: D joins its label maps (constant over the image) after it, so they stay whole.
import * as tf from '@tensorflow/tfjs'
import { readTensor } from './read'
import { augment } from './augment'
import { TRAIN, TRAIN_NO_STATS } from './layers'
import { fastEngineForStep } from './fast-engine'
import { noDraws, type DiscriminatorDraws, type IterationDraws } from './iteration-draws'
import { lossTerm, scoreOf } from './losses'
import type { GanNetworks } from './network'
import type { GanOptimizers, Optimizer } from './optimizer'
import { clipWeights, gradientPenalty } from './penalty'
import type { StepOptions } from './step-options'

export type { GanOptimizers } from './optimizer'
export type { StepOptions } from './step-options'

export interface IterationMetrics {
  /** D's loss (a critic's for the WGANs, with the penalty for WGAN-GP). */
  lossD: number
  lossG: number
  /** Mean D(x) on the real batch, before the D step: a probability for BCE, D's raw output otherwise. */
  dReal: number
  /** Mean D(G(z)) before the D step (the tutorial's D(G(z)) first value). */
  dFakeBefore: number
  /** Mean D(G(z)) after the D step, seen by the G step (the tutorial's second value). */
  dFakeAfter: number
}

const maybeAugment = (x: tf.Tensor, draws: DiscriminatorDraws['real']) => (draws ? augment(x, draws) : x)

/** One D step on a real batch and noise; returns [lossD, D(x), D(G(z))] as a tensor kept for reading. */
function discriminatorStep(
  nets: GanNetworks,
  optimizer: Optimizer,
  real: tf.Tensor,
  noise: tf.Tensor,
  options: StepOptions,
  draws: DiscriminatorDraws,
  classes?: tf.Tensor
): tf.Tensor {
  const { generator: G, discriminator: D } = nets
  return tf.tidy(() => {
    // G's forward happens outside the tape: the fake batch is a constant for D's step (fake.detach()).
    const fake = G.apply(noise, TRAIN, classes)
    const seenReal = maybeAugment(real, draws.real)
    const seenFake = maybeAugment(fake, draws.fake)
    let figures: tf.Tensor | null = null
    const { grads } = tf.variableGrads(() => {
      const realLogits = D.apply(seenReal, TRAIN, classes)
      const fakeLogits = D.apply(seenFake, TRAIN, classes)
      let loss = tf.add(lossTerm(options.loss, 'real', realLogits, 1 - options.labelSmoothing), lossTerm(options.loss, 'fake', fakeLogits))
      if (options.gpWeight > 0) {
        if (!draws.mix) throw new Error('the gradient penalty needs its interpolation weights (IterationDraws.mix)')
        loss = tf.add(loss, tf.mul(gradientPenalty(D, seenReal, seenFake, draws.mix, classes), options.gpWeight))
      }
      figures = tf.keep(tf.stack([loss, tf.mean(scoreOf(options.loss, realLogits)), tf.mean(scoreOf(options.loss, fakeLogits))]))
      return loss as tf.Scalar
    }, D.params.trainable)
    optimizer.apply(D.params.trainable.map((p) => grads[p.name]))
    if (options.weightClip > 0) clipWeights(D.params.trainable, options.weightClip)
    return figures as unknown as tf.Tensor
  })
}

/** One G step; returns [lossG, D(G(z))]. */
function generatorStep(
  nets: GanNetworks,
  optimizer: Optimizer,
  noise: tf.Tensor,
  options: StepOptions,
  draws: IterationDraws['generator'],
  classes?: tf.Tensor
): tf.Tensor {
  const { generator: G, discriminator: D } = nets
  return tf.tidy(() => {
    let figures: tf.Tensor | null = null
    const { grads } = tf.variableGrads(() => {
      // The same noise as the D step gives the same fake batch; its statistics were already counted once.
      const logits = D.apply(maybeAugment(G.apply(noise, TRAIN_NO_STATS, classes), draws), TRAIN, classes)
      const loss = lossTerm(options.loss, 'generator', logits)
      figures = tf.keep(tf.stack([loss, tf.mean(scoreOf(options.loss, logits))]))
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
 * `draws` holds the iteration's augmentations and penalty weights (iteration-draws.ts).
 * `classes`: a conditional GAN's class weights [N, classes] of each real batch (none for other GANs).
 */
export async function trainIteration(
  nets: GanNetworks,
  optimizers: GanOptimizers,
  realBatches: tf.Tensor[],
  noises: tf.Tensor[],
  options: StepOptions,
  draws: IterationDraws = noDraws(realBatches.length),
  classes?: tf.Tensor[]
): Promise<IterationMetrics> {
  const engine = fastEngineForStep(nets, options)
  if (engine) return engine.trainIteration(nets, optimizers, realBatches, noises, options, draws, classes)
  let dFigures: tf.Tensor | null = null
  for (let i = 0; i < realBatches.length; i++) {
    dFigures?.dispose()
    dFigures = discriminatorStep(nets, optimizers.discriminator, realBatches[i], noises[i], options, draws.discriminator[i], classes?.[i])
  }
  const gFigures = generatorStep(nets, optimizers.generator, noises[noises.length - 1], options, draws.generator, classes?.[classes.length - 1])
  const all = tf.concat([dFigures as unknown as tf.Tensor, gFigures])
  tf.dispose([dFigures as unknown as tf.Tensor, gFigures])
  try {
    const [lossD, dReal, dFakeBefore, lossG, dFakeAfter] = await readTensor(all)
    return { lossD, lossG, dReal, dFakeBefore, dFakeAfter }
  } finally {
    all.dispose()
  }
}
