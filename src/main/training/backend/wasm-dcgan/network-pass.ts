// Forward and backward passes of a DCGAN network on the wasm heap, layer by layer, without the TF.js
// tape: the forward keeps exactly what the backward needs (each layer's input, its pre-normalization
// output where it has BatchNorm, its output), and the backward computes only the gradients asked for.
//
// Buffers are wasm TensorInfos made with backend.makeOutput and freed with backend.disposeData: none is a
// tf.Tensor, so tf.memory() never sees them. Whoever receives a TensorInfo owns it (see releasePass).
// A conditional network's pass joins the class to its input first (conditioning-pass.ts) and keeps the
// joined input for the backward.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { DcganLayer, DcganNetwork } from '../../dcgan'
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM, BatchNorm } from '../../layers'
import { conv2dBackpropFilterXnn } from '../wasm-kernels/conv2d-backprop-filter'
import { conv2dBackpropInputXnn } from '../wasm-kernels/conv2d-backprop-input'
import { heapF32, release, runWasmKernel, type Shape4, type TensorInfo } from '../wasm-kernels/kernel-calls'
import { embeddingGradient, imageChannels, joinEmbedding, joinLabelMaps } from './conditioning-pass'
import { timed } from './profiler'
import { activate, activationBackward, channelStats, normActivate, normActivateBackward, normFactors, type NormFactors } from './norm-activation'

/** train: batch statistics, running statistics updated; train-no-stats: batch statistics only; eval: running ones. */
export type PassMode = 'train' | 'train-no-stats' | 'eval'

/** A gradient on the wasm heap (conv kernels) or in JS memory (BatchNorm's per-channel ones). */
export type Gradient = TensorInfo | Float32Array

interface LayerState {
  layer: DcganLayer
  input: TensorInfo
  /** The convolution's output before BatchNorm, kept for its backward; null without BatchNorm. */
  z: TensorInfo | null
  output: TensorInfo
  factors: NormFactors | null
}

export interface ForwardPass {
  network: DcganNetwork
  /** The pass's input: the caller's, never released here. */
  input: TensorInfo
  /** A conditional network's class weights [N * classes] and its input joined to them (the pass owns it). */
  conditioning: { classWeights: Float32Array; joined: TensorInfo } | null
  states: LayerState[]
  /** The last layer's output: images [N, S, S, nc] for G, logits [N, 1, 1, 1] for D. */
  output: TensorInfo
}

/** 'G3', 'D1': the network's letter and the layer's 1-based position, for profiles. */
function layerName(network: DcganNetwork, index: number): string {
  return `${network.role === 'generator' ? 'G' : 'D'}${index + 1}`
}

/** Wraps a wasm buffer in a tf.Tensor just long enough to make it the variable's value. */
export function assignBuffer(variable: tf.Variable, info: TensorInfo): void {
  const tensor = tf.engine().makeTensorFromTensorInfo(info)
  variable.assign(tensor)
  tensor.dispose()
}

function convolve(backend: BackendWasm, layer: DcganLayer, x: TensorInfo): TensorInfo {
  const attrs = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC' as const }
  if (layer.kind === 'conv') return runWasmKernel(backend, tf.Conv2D, { x, filter: layer.kernel }, { ...attrs, dilations: 1 })
  const inputShape: Shape4 = [x.shape[0], layer.outSize, layer.outSize, layer.outChannels]
  return required(conv2dBackpropInputXnn({ inputs: { dy: x, filter: layer.kernel }, backend, attrs: { ...attrs, inputShape } }))
}

function required(info: TensorInfo | null): TensorInfo {
  if (info === null) throw new Error('the wasm DCGAN engine needs float32 NHWC tensors')
  return info
}

function updateRunningStats(backend: BackendWasm, norm: BatchNorm, mean: Float64Array, variance: Float64Array, count: number): void {
  // PyTorch keeps the unbiased variance in its running estimate.
  const unbiased = count > 1 ? count / (count - 1) : 1
  const m = BATCH_NORM_MOMENTUM
  const newMean = backend.makeOutput(norm.runningMean.shape, 'float32')
  const newVar = backend.makeOutput(norm.runningVar.shape, 'float32')
  const [oldMean, oldVar, outMean, outVar] = [norm.runningMean, norm.runningVar, newMean, newVar].map((t) => heapF32(backend, t))
  for (let c = 0; c < mean.length; c++) {
    outMean[c] = oldMean[c] * (1 - m) + mean[c] * m
    outVar[c] = oldVar[c] * (1 - m) + variance[c] * m * unbiased
  }
  assignBuffer(norm.runningMean, newMean)
  assignBuffer(norm.runningVar, newVar)
}

/** The layer's BatchNorm; the engine runs only networks whose norms are all BatchNorm (wasmEngineApplies). */
export function batchNormOf(layer: DcganLayer): BatchNorm | null {
  if (layer.norm === null || layer.norm instanceof BatchNorm) return layer.norm
  throw new Error('the wasm DCGAN engine has no layer norm; such networks train with autograd')
}

function normalizeAndActivate(backend: BackendWasm, layer: DcganLayer, z: TensorInfo, mode: PassMode): { output: TensorInfo; factors: NormFactors | null } {
  const norm = batchNormOf(layer)
  if (norm === null) {
    if (layer.activation === 'none') return { output: z, factors: null }
    if (layer.activation === 'tanh') return { output: runWasmKernel(backend, tf.Tanh, { x: z }), factors: null }
    const output = backend.makeOutput(z.shape, 'float32')
    activate(heapF32(backend, z), heapF32(backend, output), layer.activation)
    return { output, factors: null }
  }
  const channels = z.shape[3]
  const gamma = heapF32(backend, norm.gamma).slice()
  const beta = heapF32(backend, norm.beta).slice()
  let factors: NormFactors
  if (mode === 'eval') {
    factors = normFactors(heapF32(backend, norm.runningMean), heapF32(backend, norm.runningVar), gamma, beta, BATCH_NORM_EPSILON)
  } else {
    const zValues = heapF32(backend, z)
    const { mean, variance } = channelStats(zValues, channels)
    factors = normFactors(mean, variance, gamma, beta, BATCH_NORM_EPSILON)
    if (mode === 'train') updateRunningStats(backend, norm, mean, variance, zValues.length / channels)
  }
  const output = backend.makeOutput(z.shape, 'float32')
  normActivate(heapF32(backend, z), heapF32(backend, output), factors.scale, factors.shift, layer.activation)
  return { output, factors }
}

/**
 * Runs the network on `input` (not released). With `keepForBackward` false (inference) every intermediate is
 * freed as soon as the next layer has used it and the pass holds only its output. A conditional network
 * takes its images' class weights (a copy, not a view of the heap, which may move).
 */
export function forwardPass(
  backend: BackendWasm,
  network: DcganNetwork,
  input: TensorInfo,
  mode: PassMode,
  keepForBackward: boolean,
  classWeights?: Float32Array
): ForwardPass {
  const states: LayerState[] = []
  let x = input
  let conditioning: ForwardPass['conditioning'] = null
  if (network.classes > 0) {
    if (!classWeights || classWeights.length !== input.shape[0] * network.classes) throw new Error(`a conditional ${network.role} needs ${network.classes} class weights per image`)
    const joined = network.embedding ? joinEmbedding(backend, input, network.embedding, classWeights) : joinLabelMaps(backend, input, classWeights, network.classes)
    conditioning = { classWeights, joined }
    x = joined
  }
  for (const [index, layer] of network.layers.entries()) {
    const name = layerName(network, index)
    const z = timed(() => `${name} ${layer.kind === 'conv' ? 'conv2d' : 'conv2dTranspose'}`, () => convolve(backend, layer, x))
    const { output, factors } = timed(() => `${name} ${layer.norm ? 'batchnorm+' : ''}${layer.activation}`, () => normalizeAndActivate(backend, layer, z, mode))
    const keepZ = keepForBackward && layer.norm !== null
    if (output !== z && !keepZ) release(backend, z)
    if (keepForBackward) states.push({ layer, input: x, z: keepZ ? z : null, output, factors })
    else if (x !== input) release(backend, x)
    x = output
  }
  return { network, input, conditioning: keepForBackward ? conditioning : null, states, output: x }
}

/** Frees everything the pass holds, its output included (not its input). */
export function releasePass(backend: BackendWasm, pass: ForwardPass): void {
  if (pass.conditioning) release(backend, pass.conditioning.joined)
  if (pass.states.length === 0) {
    if (pass.output !== pass.input) release(backend, pass.output)
    return
  }
  for (const state of pass.states) {
    if (state.z !== null) release(backend, state.z)
    release(backend, state.output)
  }
}

export interface BackwardResult {
  /** Gradients of the network's trainable parameters, in params.trainable order (when asked for). */
  grads: Gradient[] | null
  /** The gradient with respect to the pass's input (when asked for). */
  dInput: TensorInfo | null
}

function filterGradient(backend: BackendWasm, layer: DcganLayer, input: TensorInfo, dz: TensorInfo): TensorInfo {
  const attrs = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC' as const, filterShape: layer.kernel.shape as Shape4 }
  // conv2dTranspose is the input gradient of a conv whose input is our output: the roles swap.
  const inputs = layer.kind === 'conv' ? { x: input, dy: dz } : { x: dz, dy: input }
  return conv2dBackpropFilterXnn({ inputs, backend, attrs })
}

function inputGradient(backend: BackendWasm, layer: DcganLayer, input: TensorInfo, dz: TensorInfo): TensorInfo {
  const attrs = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC' as const }
  if (layer.kind === 'convTranspose') return runWasmKernel(backend, tf.Conv2D, { x: dz, filter: layer.kernel }, { ...attrs, dilations: 1 })
  return required(conv2dBackpropInputXnn({ inputs: { dy: dz, filter: layer.kernel }, backend, attrs: { ...attrs, inputShape: input.shape as Shape4 } }))
}

/** Backpropagates `dOutput` (the caller's, not released) through a pass made with keepForBackward. */
export function backwardPass(
  backend: BackendWasm,
  pass: ForwardPass,
  dOutput: TensorInfo,
  want: { weights: boolean; input: boolean }
): BackwardResult {
  const byVariable = new Map<tf.Variable, Gradient>()
  const { embedding } = pass.network
  // A conditional G's embedding learns from the gradient of its part of G's input.
  const firstInput = want.input || (pass.conditioning !== null && embedding !== null && want.weights)
  let dy = dOutput
  for (let i = pass.states.length - 1; i >= 0; i--) {
    const { layer, input, z, output, factors } = pass.states[i]
    const name = layerName(pass.network, i)
    let dz: TensorInfo
    const norm = batchNormOf(layer)
    if (norm !== null && z !== null && factors !== null) {
      dz = backend.makeOutput(z.shape, 'float32')
      const { dGamma, dBeta } = timed(
        () => `${name} batchnorm+${layer.activation} backward`,
        () => normActivateBackward(heapF32(backend, z), heapF32(backend, dy), heapF32(backend, dz), heapF32(backend, norm.gamma).slice(), factors, layer.activation)
      )
      byVariable.set(norm.gamma, Float32Array.from(dGamma))
      byVariable.set(norm.beta, Float32Array.from(dBeta))
    } else if (layer.activation === 'none') {
      dz = dy
    } else {
      dz = backend.makeOutput(output.shape, 'float32')
      timed(
        () => `${name} ${layer.activation} backward`,
        () => activationBackward(heapF32(backend, output), heapF32(backend, dy), heapF32(backend, dz), layer.activation)
      )
    }
    if (dy !== dOutput && dy !== dz) release(backend, dy)
    if (want.weights) byVariable.set(layer.kernel, timed(() => `${name} filter gradient`, () => filterGradient(backend, layer, input, dz)))
    const dx = i > 0 || firstInput ? timed(() => `${name} input gradient`, () => inputGradient(backend, layer, input, dz)) : null
    if (dz !== dOutput) release(backend, dz)
    if (dx === null) return { grads: want.weights ? orderedGrads(pass.network, byVariable) : null, dInput: null }
    dy = dx
  }
  let dInput = dy === dOutput ? null : dy
  const conditioning = pass.conditioning
  if (conditioning && dInput) {
    const joined = dInput
    if (embedding && want.weights) byVariable.set(embedding.table, timed(() => 'G label embedding gradient', () => embeddingGradient(backend, joined, embedding, conditioning.classWeights)))
    if (want.input && embedding) throw new Error("the wasm engine computes no gradient for a conditional generator's latent input")
    // D's input gradient for the G step: the images' channels, not the label maps'.
    dInput = want.input ? imageChannels(backend, joined, joined.shape[3] - pass.network.classes) : null
    release(backend, joined)
  }
  return { grads: want.weights ? orderedGrads(pass.network, byVariable) : null, dInput }
}

function orderedGrads(network: DcganNetwork, byVariable: Map<tf.Variable, Gradient>): Gradient[] {
  return network.params.trainable.map((v) => {
    const grad = byVariable.get(v)
    if (grad === undefined) throw new Error(`no gradient for ${v.name}`)
    return grad
  })
}

/** Frees the gradients that live on the wasm heap. */
export function releaseGradients(backend: BackendWasm, grads: Gradient[]): void {
  for (const g of grads) if (!(g instanceof Float32Array)) release(backend, g)
}

/** a += b elementwise (same shapes); frees b when it is on the heap. a must be a buffer the caller owns. */
export function accumulateGradients(backend: BackendWasm, a: Gradient[], b: Gradient[]): void {
  a.forEach((ga, i) => {
    const gb = b[i]
    const target = ga instanceof Float32Array ? ga : heapF32(backend, ga)
    const source = gb instanceof Float32Array ? gb : heapF32(backend, gb)
    for (let j = 0; j < target.length; j++) target[j] += source[j]
  })
  releaseGradients(backend, b)
}
