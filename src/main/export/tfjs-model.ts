// Exporting a trained generator as a TF.js Layers model (model.json + weight shards) that a web page can
// load with tf.loadLayersModel: the same network rebuilt from standard Keras layers, our weights copied in.
// A conditional generator's label embedding is linear in the class weights and feeds a linear first layer,
// so it folds into that layer's weights: the model takes z and the class weights as one input, as Explore
// does, and computes exactly what the generator computes.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/config'
import { LABEL_EMBEDDING } from '../training/conditioning'
import { BATCH_NORM_EPSILON, LEAKY_SLOPE } from '../training/layers'
import type { Network } from '../training/network'
import { ExportError, writeFileAtomic, type WriteOptions } from './files'

export interface ModelExportMeta {
  config: RunConfig
  channels: 1 | 3
  /** A conditional generator's class names (empty for others). */
  classes?: string[]
}

/** Values per input vector: nz, and a conditional generator's class weights. */
function inputLength(meta: ModelExportMeta): number {
  return meta.config.nz + (meta.classes?.length ?? 0)
}

export interface ExportedModel {
  /** Path of model.json (the file to hand to tf.loadLayersModel). */
  modelJson: string
  /** Paths of the weight shards model.json names, in order. */
  weights: string[]
}

/** The shard size tensorflowjs_converter uses: small enough for browser caches. */
export const WEIGHT_SHARD_BYTES = 4 * 1024 * 1024

export const MODEL_JSON = 'model.json'

/** Our weights by their short names (convT0/kernel, bn0/running_mean, ...), checked against expected shapes. */
class NamedWeights {
  private readonly byName = new Map<string, tf.Variable>()

  constructor(network: Network) {
    const { params } = network
    params.trainableNames().forEach((name, i) => this.byName.set(name, params.trainable[i]))
    params.bufferNames().forEach((name, i) => this.byName.set(name, params.buffers[i]))
  }

  /**
   * The first layer's weights for input [z, class weights]: its rows for z as they are, and for each class
   * the embedding's row through the rows that see the embedding. `inputAxis` is the kernel's input axis.
   * A new tensor: the caller disposes it.
   */
  foldedFirstKernel(name: string, meta: ModelExportMeta, inputAxis: number): tf.Tensor {
    const kernel = this.get(name)
    const classes = meta.classes?.length ?? 0
    const { nz } = meta.config
    if (classes === 0) return kernel.clone()
    const table = this.get(LABEL_EMBEDDING)
    const [tableClasses, e] = table.shape
    if (tableClasses !== classes || kernel.shape[inputAxis] !== nz + e) {
      throw mismatch(`its label embedding [${table.shape}] and ${name} [${kernel.shape}] do not fit ${classes} classes and nz = ${nz}`)
    }
    return tf.tidy(() => {
      // Input axis last, everything else flattened: [rest, nz + e].
      const order = kernel.shape.map((_, i) => i).filter((i) => i !== inputAxis)
      const moved = tf.transpose(kernel, [...order, inputAxis])
      const rest = moved.shape.slice(0, -1)
      const flat = tf.reshape(moved, [rest.reduce((a, b) => a * b, 1), nz + e])
      const [zPart, ePart] = tf.split(flat, [nz, e], 1)
      const folded = tf.concat([zPart, tf.matMul(ePart, table as tf.Tensor2D, false, true)], 1)
      const back = tf.reshape(folded, [...rest, nz + classes])
      const inverse = [...order, inputAxis].map((_, i) => [...order, inputAxis].indexOf(i))
      return tf.transpose(back, inverse)
    })
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }

  get(name: string, shape?: number[]): tf.Variable {
    const v = this.byName.get(name)
    if (!v) throw mismatch(`it has no weight named ${name}`)
    if (shape && !tf.util.arraysEqual(v.shape, shape)) {
      throw mismatch(`${name} has shape [${v.shape}] where [${shape}] was expected`)
    }
    return v
  }
}

function mismatch(detail: string): ExportError {
  return new ExportError(`the generator does not match the config given for export (${detail}); export it with its own run's config`)
}

/** DCGAN generator: convT0 (valid, 1 -> 4 px), then convT1.. (same, stride 2), BatchNorm + ReLU between, Tanh. */
function addDcganLayers(model: tf.Sequential, weights: NamedWeights, meta: ModelExportMeta): void {
  const { nz, imageSize } = meta.config
  let layers = 0
  while (weights.has(`convT${layers}/kernel`)) layers++
  const expected = Math.log2(imageSize) - 1
  if (layers !== expected) throw mismatch(`${layers} transposed convolutions where a ${imageSize} px DCGAN has ${expected}`)

  let inChannels = inputLength(meta)
  for (let i = 0; i < layers; i++) {
    const kernel = i === 0 ? weights.foldedFirstKernel('convT0/kernel', meta, 3) : weights.get(`convT${i}/kernel`)
    const [kh, kw, outChannels, kernelIn] = kernel.shape
    if (kh !== 4 || kw !== 4 || kernelIn !== inChannels) {
      throw mismatch(`convT${i}/kernel has shape [${kernel.shape}] where [4,4,*,${inChannels}] was expected`)
    }
    const last = i === layers - 1
    if (last && outChannels !== meta.channels) throw mismatch(`it makes ${outChannels}-channel images, not ${meta.channels}`)
    // Both are tf.conv2dTranspose with the same output size: 'valid' 1 -> 4 px, then 'same' doubling.
    const conv = tf.layers.conv2dTranspose({
      name: `convT${i}`,
      ...(i === 0 ? { inputShape: [1, 1, inputLength(meta)] } : {}),
      filters: outChannels,
      kernelSize: 4,
      strides: i === 0 ? 1 : 2,
      padding: i === 0 ? 'valid' : 'same',
      useBias: false,
      kernelInitializer: 'zeros'
    })
    model.add(conv)
    conv.setWeights([kernel])
    if (i === 0) kernel.dispose()
    if (last) {
      model.add(tf.layers.activation({ name: 'tanh', activation: 'tanh' }))
    } else {
      const shape = [outChannels]
      const norm = tf.layers.batchNormalization({ name: `bn${i}`, axis: -1, epsilon: BATCH_NORM_EPSILON, momentum: 0.9 })
      model.add(norm)
      // Keras order: gamma, beta, moving mean, moving variance. Inference uses the running statistics,
      // as our eval mode does.
      norm.setWeights([
        weights.get(`bn${i}/gamma`, shape),
        weights.get(`bn${i}/beta`, shape),
        weights.get(`bn${i}/running_mean`, shape),
        weights.get(`bn${i}/running_var`, shape)
      ])
      model.add(tf.layers.reLU({ name: `relu${i}` }))
    }
    inChannels = outChannels
  }
}

/** MLP generator: dense layers with LeakyReLU(0.2) between them, Tanh, reshaped to [S, S, nc]. */
function addMlpLayers(model: tf.Sequential, weights: NamedWeights, meta: ModelExportMeta): void {
  const { imageSize } = meta.config
  model.add(tf.layers.flatten({ name: 'flatten', inputShape: [1, 1, inputLength(meta)] }))
  let layers = 0
  while (weights.has(`dense${layers}/kernel`)) layers++
  if (layers === 0) throw mismatch('it has no dense layers, so it is not an MLP generator')

  let inUnits = inputLength(meta)
  for (let i = 0; i < layers; i++) {
    const kernel = i === 0 ? weights.foldedFirstKernel('dense0/kernel', meta, 0) : weights.get(`dense${i}/kernel`)
    const [kernelIn, units] = kernel.shape
    if (kernel.rank !== 2 || kernelIn !== inUnits) throw mismatch(`dense${i}/kernel has shape [${kernel.shape}] where [${inUnits},*] was expected`)
    const dense = tf.layers.dense({ name: `dense${i}`, units, kernelInitializer: 'zeros' })
    model.add(dense)
    dense.setWeights([kernel, weights.get(`dense${i}/bias`, [units])])
    if (i === 0) kernel.dispose()
    model.add(
      i + 1 < layers
        ? tf.layers.leakyReLU({ name: `leaky${i}`, alpha: LEAKY_SLOPE })
        : tf.layers.activation({ name: 'tanh', activation: 'tanh' })
    )
    inUnits = units
  }
  const pixels = imageSize * imageSize * meta.channels
  if (inUnits !== pixels) throw mismatch(`it makes ${inUnits} values per image where ${imageSize}x${imageSize}x${meta.channels} needs ${pixels}`)
  model.add(tf.layers.reshape({ name: 'image', targetShape: [imageSize, imageSize, meta.channels] }))
}

/**
 * A tf.Sequential computing what `generator` computes in eval mode: input [n, 1, 1, nz] (nz + classes for a
 * conditional generator: z, then the class weights), output NHWC in [-1, 1]. Its weights share our tensors'
 * data; the caller disposes it (model.dispose()).
 */
export function buildLayersGenerator(generator: Network, meta: ModelExportMeta): tf.Sequential {
  const { nz } = meta.config
  if (!tf.util.arraysEqual(generator.inputShape, [1, 1, nz])) {
    throw mismatch(`its input has shape [${generator.inputShape}] where nz = ${nz} needs [1,1,${nz}]`)
  }
  if (generator.classes !== (meta.classes?.length ?? 0)) throw mismatch(`it has ${generator.classes} classes where ${meta.classes?.length ?? 0} were given`)
  const weights = new NamedWeights(generator)
  const model = tf.sequential({ name: 'gan_studio_generator' })
  try {
    if (meta.config.arch === 'mlp') addMlpLayers(model, weights, meta)
    else addDcganLayers(model, weights, meta)
  } catch (error) {
    model.dispose()
    throw error
  }
  return model
}

/** What a web page needs to know to use the model, kept in model.json's userDefinedMetadata. */
function describe(meta: ModelExportMeta): Record<string, {}> {
  const { config } = meta
  return {
    ganStudio: {
      kind: 'gan-studio-generator',
      arch: config.arch,
      imageSize: config.imageSize,
      channels: meta.channels,
      nz: config.nz,
      seed: config.seed,
      ...(meta.classes?.length
        ? {
            classes: meta.classes,
            input: `z ~ N(0, 1) followed by one weight per class (one-hot: that class), shape [n, 1, 1, nz + ${meta.classes.length}]`
          }
        : { input: 'latent vectors z ~ N(0, 1), shape [n, 1, 1, nz]' }),
      output: 'images NHWC in [-1, 1]: (x + 1) / 2 * 255 gives bytes'
    }
  }
}

/** Splits the weight bytes into shards and names them as tensorflowjs_converter does. */
function shardWeights(data: ArrayBuffer): { name: string; bytes: Uint8Array }[] {
  const count = Math.max(1, Math.ceil(data.byteLength / WEIGHT_SHARD_BYTES))
  return Array.from({ length: count }, (_, i) => ({
    name: `group1-shard${i + 1}of${count}.bin`,
    bytes: new Uint8Array(data, i * WEIGHT_SHARD_BYTES, Math.min(WEIGHT_SHARD_BYTES, data.byteLength - i * WEIGHT_SHARD_BYTES))
  }))
}

/**
 * Writes `generator` to `dir` as model.json + weight shards. Refuses to replace existing files unless
 * `overwrite`; model.json is written last, so a complete model.json always has its weights beside it.
 */
export async function exportGeneratorModel(
  generator: Network,
  meta: ModelExportMeta,
  dir: string,
  options: WriteOptions = {}
): Promise<ExportedModel> {
  const model = buildLayersGenerator(generator, meta)
  let artifacts: tf.io.ModelArtifacts | undefined
  try {
    model.setUserDefinedMetadata(describe(meta))
    // There is no file:// handler without tfjs-node: capture the artifacts and write them ourselves.
    await model.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      })
    )
  } finally {
    model.dispose()
  }
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('TF.js saved the generator without its weights')

  const shards = shardWeights(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: 'GAN Studio',
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata
  }

  const modelPath = join(dir, MODEL_JSON)
  const weightPaths = shards.map((s) => join(dir, s.name))
  // Check every target first, so a refused export writes nothing.
  const existing = [modelPath, ...weightPaths].filter((p) => existsSync(p))
  if (!options.overwrite && existing.length > 0) {
    throw new ExportError(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; choose another folder or allow overwriting (--force)`)
  }
  for (let i = 0; i < shards.length; i++) await writeFileAtomic(weightPaths[i], shards[i].bytes, options)
  await writeFileAtomic(modelPath, JSON.stringify(modelJson), options)
  return { modelJson: modelPath, weights: weightPaths }
}
