// A trained generator on its own: the run's config, its channels and G's weights (with BatchNorm's
// running statistics) in one tensor bundle. Written by `train --out`, read by the exporters.
import * as tf from '@tensorflow/tfjs'
import { parseRunConfig, type RunConfig } from '../../shared/config'
import { buildGenerator } from './gan'
import { generateImages } from './generate'
import type { Network } from './network'
import { decodeBundle, encodeBundle, type NamedTensor } from './tensor-bundle'

export interface GeneratorMeta {
  kind: 'gan-studio-generator'
  config: RunConfig
  channels: 1 | 3
  iteration: number
}

export interface LoadedGenerator {
  meta: GeneratorMeta
  network: Network
  /** Images (NHWC floats in [-1, 1]) for n latent vectors given as n * nz values. */
  generate(latents: Float32Array): Float32Array
  dispose(): void
}

export function encodeGenerator(network: Network, meta: Omit<GeneratorMeta, 'kind'>): Buffer {
  const names = [...network.params.trainableNames(), ...network.params.bufferNames()]
  const tensors: NamedTensor[] = [...network.params.trainable, ...network.params.buffers].map((v, i) => ({
    name: names[i],
    shape: v.shape,
    data: v.dataSync() as Float32Array
  }))
  return encodeBundle({ meta: { kind: 'gan-studio-generator', ...meta }, tensors })
}

export function decodeGenerator(bytes: Uint8Array, what = 'generator file'): LoadedGenerator {
  const bundle = decodeBundle<GeneratorMeta>(bytes, what)
  if (bundle.meta?.kind !== 'gan-studio-generator') throw new Error(`${what} does not hold a generator`)
  const config = parseRunConfig(bundle.meta.config)
  return loadGenerator(config, bundle.meta.channels, bundle.meta.iteration, bundle.tensors.map((t) => t.data), what)
}

/** Builds the generator a config describes and fills it with saved values (trainable, then buffers). */
function loadGenerator(config: RunConfig, channels: 1 | 3, iteration: number, values: Float32Array[], what: string): LoadedGenerator {
  const network = buildGenerator(config, channels)
  const variables = [...network.params.trainable, ...network.params.buffers]
  const fits = values.length === variables.length && values.every((v, i) => v.length === variables[i].size)
  if (!fits) {
    network.params.dispose()
    throw new Error(`${what} does not fit the generator its config describes (${values.length} tensors for ${variables.length}); it is damaged or from another version`)
  }
  variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i], v.shape))))
  return {
    meta: { kind: 'gan-studio-generator', config, channels, iteration },
    network,
    generate: (latents) => generateImages(network, config.nz, latents),
    dispose: () => network.params.dispose()
  }
}

/** The generator of a checkpoint, ready to generate: for exports at any saved iteration. */
export function generatorFromCheckpoint(
  config: RunConfig,
  channels: 1 | 3,
  iteration: number,
  weights: { generator: Float32Array[]; generatorBuffers: Float32Array[] }
): LoadedGenerator {
  return loadGenerator(config, channels, iteration, [...weights.generator, ...weights.generatorBuffers], `the checkpoint at iteration ${iteration}`)
}
