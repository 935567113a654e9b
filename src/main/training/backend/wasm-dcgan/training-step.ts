// One DCGAN training iteration on the wasm backend with hand-written backward passes (see step.ts for
// what an iteration is). Besides skipping the tape, it runs G forward once per iteration: the G step
// backpropagates through the activations kept from the D step's G forward, where the autograd version
// runs G forward again under a second tape.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { Adam } from '../../adam'
import type { DcganNetwork } from '../../dcgan'
import { heapF32, release, type TensorInfo } from '../wasm-kernels/kernel-calls'
import { adamUpdateOnHeap } from './adam-update'
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

/** BCE of sigmoid(logits) against `label`, mean sigmoid, and dLoss/dLogits in a new buffer. */
function logitLoss(backend: BackendWasm, logits: TensorInfo, label: number): { loss: number; meanProbability: number; dLogits: TensorInfo } {
  const dLogits = backend.makeOutput(logits.shape, 'float32')
  const l = heapF32(backend, logits)
  const d = heapF32(backend, dLogits)
  const n = l.length
  let loss = 0
  let probability = 0
  for (let i = 0; i < n; i++) {
    const x = l[i]
    // softplus(x) - label * x, stable for large |x|.
    loss += Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - label * x
    const p = 1 / (1 + Math.exp(-x))
    probability += p
    d[i] = (p - label) / n
  }
  return { loss: loss / n, meanProbability: probability / n, dLogits }
}

/** D on a batch: its loss and mean D(.) and, summed into `grads` (or as new ones), D's gradients. */
function discriminatorHalf(backend: BackendWasm, D: DcganNetwork, images: TensorInfo, label: number, grads: Gradient[] | null) {
  const pass = forwardPass(backend, D, images, 'train', true)
  const { loss, meanProbability, dLogits } = logitLoss(backend, pass.output, label)
  const { grads: these } = backwardPass(backend, pass, dLogits, { weights: true, input: false })
  release(backend, dLogits)
  releasePass(backend, pass)
  if (grads !== null) timed(() => 'D gradients real + fake', () => accumulateGradients(backend, grads, these!))
  return { loss, meanProbability, grads: grads ?? these! }
}

/** D step on one real batch and G(noise); returns G's forward pass (for the G step) and the figures. */
function discriminatorStep(backend: BackendWasm, nets: WasmDcgan, optimizer: Adam, real: TensorInfo, noise: TensorInfo, realLabel: number) {
  const fake = forwardPass(backend, nets.generator, noise, 'train', true)
  try {
    const onReal = discriminatorHalf(backend, nets.discriminator, real, realLabel, null)
    const onFake = discriminatorHalf(backend, nets.discriminator, fake.output, 0, onReal.grads)
    timed(() => 'D adam', () => adamUpdateOnHeap(backend, optimizer, onReal.grads))
    releaseGradients(backend, onReal.grads)
    return { fake, lossD: onReal.loss + onFake.loss, dReal: onReal.meanProbability, dFakeBefore: onFake.meanProbability }
  } catch (error) {
    releasePass(backend, fake)
    throw error
  }
}

function generatorStep(backend: BackendWasm, nets: WasmDcgan, optimizer: Adam, fake: ForwardPass) {
  const judged = forwardPass(backend, nets.discriminator, fake.output, 'train', true)
  const { loss, meanProbability, dLogits } = logitLoss(backend, judged.output, 1)
  const { dInput: dFake } = backwardPass(backend, judged, dLogits, { weights: false, input: true })
  release(backend, dLogits)
  releasePass(backend, judged)
  const { grads } = backwardPass(backend, fake, dFake!, { weights: true, input: false })
  release(backend, dFake!)
  timed(() => 'G adam', () => adamUpdateOnHeap(backend, optimizer, grads!))
  releaseGradients(backend, grads!)
  return { lossG: loss, dFakeAfter: meanProbability }
}

export function wasmTrainIteration(
  nets: WasmDcgan,
  optimizers: { generator: Adam; discriminator: Adam },
  realBatches: tf.Tensor[],
  noises: tf.Tensor[],
  labelSmoothing: number
): WasmIterationFigures {
  const backend = tf.backend() as BackendWasm
  let last: ReturnType<typeof discriminatorStep> | null = null
  try {
    for (let i = 0; i < realBatches.length; i++) {
      if (last !== null) releasePass(backend, last.fake)
      last = null
      last = discriminatorStep(backend, nets, optimizers.discriminator, realBatches[i], noises[i], 1 - labelSmoothing)
    }
    if (last === null) throw new Error('a training iteration needs at least one real batch')
    const { lossG, dFakeAfter } = generatorStep(backend, nets, optimizers.generator, last.fake)
    return { lossD: last.lossD, lossG, dReal: last.dReal, dFakeBefore: last.dFakeBefore, dFakeAfter }
  } finally {
    if (last !== null) releasePass(backend, last.fake)
  }
}

/** G in eval mode on latent vectors [n, 1, 1, nz]: the images as a plain array. */
export function wasmGenerate(generator: DcganNetwork, z: tf.Tensor): Float32Array {
  const backend = tf.backend() as BackendWasm
  const pass = forwardPass(backend, generator, z, 'eval', false)
  try {
    return heapF32(backend, pass.output).slice()
  } finally {
    releasePass(backend, pass)
  }
}
