// The wasm training engine for DCGANs: hand-written forward and backward passes over the wasm heap, used
// instead of TF.js autograd when the wasm backend runs with our kernels (see training-step.ts).
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { fastEngineFallback } from '../../../../shared/training-options'
import { isDcganNetwork, type DcganNetwork } from '../../dcgan'
import { BatchNorm } from '../../layers'
import type { FastEngine } from '../../fast-engine'
import type { Network } from '../../network'
import { wasmKernelsRegistered } from '../wasm-kernels'
import { wasmGenerate, wasmTrainIteration } from './training-step'

export { startEngineProfile, stopEngineProfile, type StepTiming } from './profiler'
export { wasmGenerate, wasmTrainIteration }

let disabled = false

/** Tests and benchmarks compare the engine with autograd on the same backend. */
export function disableWasmEngine(off: boolean): void {
  disabled = off
}

/**
 * Whether the engine can run this network now: a DCGAN with BatchNorm or no norm in each layer (it has no
 * layer norm: see fastEngineFallback in shared/training-options.ts, which tells the user), whose weights
 * live on the wasm backend (TF.js moves tensors made on another backend only when a kernel reads them; the
 * engine reads the heap directly), with our kernels registered.
 */
export function wasmEngineApplies(network: Network): network is DcganNetwork {
  if (disabled || tf.getBackend() !== 'wasm' || !wasmKernelsRegistered() || !isDcganNetwork(network)) return false
  if (!network.layers.every((layer) => layer.norm === null || layer.norm instanceof BatchNorm)) return false
  const backend = tf.backend() as BackendWasm
  return network.params.trainable.every((v) => backend.dataIdMap.has(v.dataId))
}

/** The engine as the training step and the generator see it (installed when the wasm backend starts). */
export const wasmDcganEngine: FastEngine = {
  name: 'the fast wasm engine',
  backend: 'wasm',
  appliesTo: wasmEngineApplies,
  fallbackNote: (config) => fastEngineFallback(config),
  // Everything but the gradient penalty, whose second-order gradient the hand-written passes do not take.
  trains: (options) => options.gpWeight === 0,
  trainIteration: (nets, optimizers, realBatches, noises, options, draws, classes) => {
    const { generator, discriminator } = nets
    if (!isDcganNetwork(generator) || !isDcganNetwork(discriminator)) throw new Error('the wasm engine trains DCGANs only')
    return wasmTrainIteration({ generator, discriminator }, optimizers, realBatches, noises, options, draws, classes)
  },
  generate: (generator, z, classWeights) => {
    if (!isDcganNetwork(generator)) throw new Error('the wasm engine generates with DCGANs only')
    return wasmGenerate(generator, z, classWeights)
  }
}
