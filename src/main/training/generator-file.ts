// A trained generator on its own: the run's config, its channels and G's weights (with BatchNorm's
// running statistics) in one tensor bundle. Written by `train --out`, read by the exporters.
import * as tf from '@tensorflow/tfjs'
import { ConfigError, parseRunConfig, type RunConfig } from '../../shared/config'
import { buildGenerator } from './gan'
import type { GeneratorChoice } from './trainer'
import { generateImages } from './generate'
import type { Network } from './network'
import { readTensors } from './read'
import { decodeBundle, encodeBundle, type NamedTensor, type TensorBundle } from './tensor-bundle'

/** A generator file or checkpoint that cannot be loaded (damaged, not a generator, another version): for the user. */
export class GeneratorFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GeneratorFileError'
  }
}

export interface GeneratorMeta {
  kind: 'gan-studio-generator'
  config: RunConfig
  channels: 1 | 3
  /** A conditional generator's class names, in label order; empty for others (and in files from before). */
  classes: string[]
  iteration: number
  /** Which weights: the moving average (runs with config.ema > 0, by default) or the trained ones. */
  weights?: GeneratorChoice
}

export interface LoadedGenerator {
  meta: GeneratorMeta
  network: Network
  /** Images (NHWC floats in [-1, 1]) for n latent vectors of nz values (and a conditional one's class weights) each. */
  generate(latents: Float32Array): Promise<Float32Array>
  dispose(): void
}

export async function encodeGenerator(network: Network, meta: Omit<GeneratorMeta, 'kind' | 'classes'> & { classes?: string[] }): Promise<Buffer> {
  const names = [...network.params.trainableNames(), ...network.params.bufferNames()]
  const variables = [...network.params.trainable, ...network.params.buffers]
  const values = await readTensors(variables)
  const tensors: NamedTensor[] = variables.map((v, i) => ({ name: names[i], shape: v.shape, data: values[i] }))
  return encodeBundle({ meta: { kind: 'gan-studio-generator', ...meta, classes: meta.classes ?? [] }, tensors })
}

export function decodeGenerator(bytes: Uint8Array, what = 'generator file'): LoadedGenerator {
  let bundle: TensorBundle<GeneratorMeta>
  let config: RunConfig
  try {
    // Every failure here is about the file's contents (wrong signature, cut short, a config this version
    // does not accept), which the user can act on: not a bug to report.
    bundle = decodeBundle<GeneratorMeta>(bytes, what)
    if (bundle.meta?.kind !== 'gan-studio-generator') throw new GeneratorFileError(`${what} does not hold a generator`)
    config = parseRunConfig(bundle.meta.config)
  } catch (error) {
    if (error instanceof GeneratorFileError) throw error
    throw new GeneratorFileError(error instanceof ConfigError ? `${what} holds a config this version cannot use: ${error.message}` : (error as Error).message, { cause: error })
  }
  return loadGenerator(config, bundle.meta.channels, bundle.meta.classes ?? [], bundle.meta.iteration, bundle.tensors.map((t) => t.data), what, bundle.meta.weights ?? 'raw')
}

/** Builds the generator a config describes and fills it with saved values (trainable, then buffers). */
function loadGenerator(
  config: RunConfig,
  channels: 1 | 3,
  classes: string[],
  iteration: number,
  values: Float32Array[],
  what: string,
  weights: GeneratorChoice
): LoadedGenerator {
  if (config.conditional && classes.length === 0) throw new GeneratorFileError(`${what} is conditional but does not say its classes; it is damaged or from another version`)
  const network = buildGenerator(config, channels, config.conditional ? classes.length : 0)
  const variables = [...network.params.trainable, ...network.params.buffers]
  const fits = values.length === variables.length && values.every((v, i) => v.length === variables[i].size)
  if (!fits) {
    network.params.dispose()
    throw new GeneratorFileError(`${what} does not fit the generator its config describes (${values.length} tensors for ${variables.length}); it is damaged or from another version`)
  }
  variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i], v.shape))))
  return {
    meta: { kind: 'gan-studio-generator', config, channels, classes: config.conditional ? classes : [], iteration, weights },
    network,
    generate: (latents) => generateImages(network, config.nz, latents),
    dispose: () => network.params.dispose()
  }
}

/**
 * The generator of a checkpoint, ready to generate: for exports at any saved iteration. Its moving average
 * where the run keeps one (unless `choice` is 'raw'), with the trained generator's BatchNorm statistics.
 */
export function generatorFromCheckpoint(
  config: RunConfig,
  data: { channels: 1 | 3; classes: string[] },
  iteration: number,
  weights: { generator: Float32Array[]; generatorBuffers: Float32Array[]; generatorEma?: Float32Array[] },
  choice: GeneratorChoice = 'ema'
): LoadedGenerator {
  // The moving average covers every trainable weight of G, a conditional G's label embedding included.
  const average = choice === 'ema' && weights.generatorEma !== undefined && weights.generatorEma.length > 0
  const trainable = average ? weights.generatorEma! : weights.generator
  return loadGenerator(config, data.channels, data.classes, iteration, [...trainable, ...weights.generatorBuffers], `the checkpoint at iteration ${iteration}`, average ? 'ema' : 'raw')
}
