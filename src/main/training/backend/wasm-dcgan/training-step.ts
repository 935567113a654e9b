// One DCGAN training iteration on the wasm backend with hand-written backward passes (see step.ts for
// what an iteration is, and which options it takes). Besides skipping the tape, it runs G forward once per
// iteration: the G step backpropagates through the activations kept from the D step's G forward, where the
// autograd version runs G forward again under a second tape.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { AugmentDraws } from '../../augment'
import type { DcganNetwork } from '../../dcgan'
import type { DiscriminatorDraws, IterationDraws } from '../../iteration-draws'
import { elementwiseLoss, type ElementwiseLoss } from '../../losses'
import type { GanOptimizers, Optimizer } from '../../optimizer'
import { clipWeights } from '../../penalty'
import type { StepOptions } from '../../step-options'
import { heapF32, release, type TensorInfo } from '../wasm-kernels/kernel-calls'
import { augmentBackward, augmentForward, type ImageShape } from './augment-pass'
import { optimizerUpdateOnHeap } from './optimizer-update'
import { timed } from './profiler'
import { accumulateGradients, backwardPass, forwardPass, releaseGradients, releasePass, type ForwardPass, type Gradient } from './network-pass'

export interface WasmDcgan {
  generator: DcganNetwork
  discriminator: DcganNetwork
}

export interface WasmIterationFigures {
  lossD: number
  lossG: number
  dReal: number
  dFakeBefore: number
  dFakeAfter: number
}

/** The loss term's mean over the logits, the mean charted score, and dLoss/dLogits in a new buffer. */
function logitLoss(backend: BackendWasm, logits: TensorInfo, term: ElementwiseLoss): { loss: number; meanScore: number; dLogits: TensorInfo } {
  const dLogits = backend.makeOutput(logits.shape, 'float32')
  const l = heapF32(backend, logits)
  const d = heapF32(backend, dLogits)
  const n = l.length
  let loss = 0
  let score = 0
  for (let i = 0; i < n; i++) {
    const x = l[i]
    loss += term.value(x)
    score += term.score(x)
    d[i] = term.slope(x) / n
  }
  return { loss: loss / n, meanScore: score / n, dLogits }
}

function imageShape(images: TensorInfo): ImageShape {
  return images.shape as ImageShape
}

/** The batch through DiffAugment's transforms, in a new buffer (the input stays the caller's). */
function augmentOnHeap(backend: BackendWasm, images: TensorInfo, draws: AugmentDraws): TensorInfo {
  const out = backend.makeOutput(images.shape, 'float32')
  timed(() => 'augment', () => augmentForward(heapF32(backend, images), heapF32(backend, out), imageShape(images), draws))
  return out
}

/**
 * D on a batch: its loss and mean score and, summed into `grads` (or as new ones), D's gradients. A
 * conditional D joins its label maps to the augmented images (forwardPass), as autograd's D.apply does.
 */
function discriminatorHalf(
  backend: BackendWasm,
  D: DcganNetwork,
  images: TensorInfo,
  term: ElementwiseLoss,
  draws: AugmentDraws | null,
  grads: Gradient[] | null,
  classes?: Float32Array
) {
  const seen = draws ? augmentOnHeap(backend, images, draws) : images
  const pass = forwardPass(backend, D, seen, 'train', true, classes)
  const { loss, meanScore, dLogits } = logitLoss(backend, pass.output, term)
  const { grads: these } = backwardPass(backend, pass, dLogits, { weights: true, input: false })
  release(backend, dLogits)
  releasePass(backend, pass)
  if (seen !== images) release(backend, seen)
  if (grads !== null) timed(() => 'D gradients real + fake', () => accumulateGradients(backend, grads, these!))
  return { loss, meanScore, grads: grads ?? these! }
}

/**
 * D step on one real batch and G(noise); returns G's forward pass (for the G step) and the figures. A
 * conditional GAN's `classes`: the real batch's class weights, which G draws too.
 */
function discriminatorStep(
  backend: BackendWasm,
  nets: WasmDcgan,
  optimizer: Optimizer,
  real: TensorInfo,
  noise: TensorInfo,
  options: StepOptions,
  draws: DiscriminatorDraws,
  classes?: Float32Array
) {
  const fake = forwardPass(backend, nets.generator, noise, 'train', true, classes)
  try {
    const realTerm = elementwiseLoss(options.loss, 'real', 1 - options.labelSmoothing)
    const onReal = discriminatorHalf(backend, nets.discriminator, real, realTerm, draws.real, null, classes)
    const onFake = discriminatorHalf(backend, nets.discriminator, fake.output, elementwiseLoss(options.loss, 'fake'), draws.fake, onReal.grads, classes)
    timed(() => `D ${optimizer.kind}`, () => optimizerUpdateOnHeap(backend, optimizer, onReal.grads))
    releaseGradients(backend, onReal.grads)
    if (options.weightClip > 0) timed(() => 'D clip', () => clipWeights(nets.discriminator.params.trainable, options.weightClip))
    return { fake, lossD: onReal.loss + onFake.loss, dReal: onReal.meanScore, dFakeBefore: onFake.meanScore }
  } catch (error) {
    releasePass(backend, fake)
    throw error
  }
}

function generatorStep(backend: BackendWasm, nets: WasmDcgan, optimizer: Optimizer, fake: ForwardPass, options: StepOptions, draws: AugmentDraws | null) {
  const seen = draws ? augmentOnHeap(backend, fake.output, draws) : fake.output
  const judged = forwardPass(backend, nets.discriminator, seen, 'train', true, fake.conditioning?.classWeights)
  const { loss, meanScore, dLogits } = logitLoss(backend, judged.output, elementwiseLoss(options.loss, 'generator'))
  const { dInput: dSeen } = backwardPass(backend, judged, dLogits, { weights: false, input: true })
  release(backend, dLogits)
  releasePass(backend, judged)
  let dFake = dSeen!
  if (draws) {
    release(backend, seen)
    dFake = backend.makeOutput(fake.output.shape, 'float32')
    timed(() => 'augment backward', () => augmentBackward(heapF32(backend, dSeen!), heapF32(backend, dFake), imageShape(fake.output), draws))
    release(backend, dSeen!)
  }
  const { grads } = backwardPass(backend, fake, dFake, { weights: true, input: false })
  release(backend, dFake)
  timed(() => `G ${optimizer.kind}`, () => optimizerUpdateOnHeap(backend, optimizer, grads!))
  releaseGradients(backend, grads!)
  return { lossG: loss, dFakeAfter: meanScore }
}

export function wasmTrainIteration(
  nets: WasmDcgan,
  optimizers: GanOptimizers,
  realBatches: tf.Tensor[],
  noises: tf.Tensor[],
  options: StepOptions,
  draws: IterationDraws,
  classes?: tf.Tensor[]
): WasmIterationFigures {
  if (options.gpWeight > 0) throw new Error('the wasm engine cannot take the gradient penalty\'s second-order gradient; step.ts trains such runs with autograd')
  const backend = tf.backend() as BackendWasm
  let last: ReturnType<typeof discriminatorStep> | null = null
  try {
    for (let i = 0; i < realBatches.length; i++) {
      if (last !== null) releasePass(backend, last.fake)
      last = null
      // A copy: the heap may move while the passes allocate.
      const weights = classes ? heapF32(backend, classes[i]).slice() : undefined
      last = discriminatorStep(backend, nets, optimizers.discriminator, realBatches[i], noises[i], options, draws.discriminator[i], weights)
    }
    if (last === null) throw new Error('a training iteration needs at least one real batch')
    const { lossG, dFakeAfter } = generatorStep(backend, nets, optimizers.generator, last.fake, options, draws.generator)
    return { lossD: last.lossD, lossG, dReal: last.dReal, dFakeBefore: last.dFakeBefore, dFakeAfter }
  } finally {
    if (last !== null) releasePass(backend, last.fake)
  }
}

/** G in eval mode on latent vectors [n, 1, 1, nz] (and a conditional G's class weights): the images as a plain array. */
export function wasmGenerate(generator: DcganNetwork, z: tf.Tensor, classWeights?: tf.Tensor): Float32Array {
  const backend = tf.backend() as BackendWasm
  const pass = forwardPass(backend, generator, z, 'eval', false, classWeights ? heapF32(backend, classWeights).slice() : undefined)
  try {
    return heapF32(backend, pass.output).slice()
  } finally {
    releasePass(backend, pass)
  }
}
