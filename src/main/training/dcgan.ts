// DCGAN (Radford et al. 2015) as in the PyTorch tutorial, for 32 or 64 px images.
// G: ConvTranspose 4x4 (1 -> 4 px), then stride-2 ConvTranspose layers doubling the size, BatchNorm + ReLU
// between them and Tanh at the end. D mirrors it with strided convs, BatchNorm (not on the first layer)
// and LeakyReLU(0.2), ending in one logit. No biases, as in the tutorial (BatchNorm makes them redundant).
//
// Each network is also described as a plain list of layers (`DcganNetwork.layers`): `apply` runs that list
// with TF.js ops (autograd, any backend), and the wasm training engine (backend/wasm-dcgan) runs the same
// list with hand-written forward and backward passes. A conditional network (conditioning.ts) joins the class
// to its input first: G a label embedding to z, D label maps to the image channels.
import * as tf from '@tensorflow/tfjs'
import { labelEmbeddingSize } from '../../shared/model-size'
import type { Random } from '../../shared/random'
import type { DNorm } from '../../shared/training-options'
import { checkClassWeights, LabelEmbedding, withLabelMaps } from './conditioning'
import { BatchNorm, createNorm, leakyRelu, type ForwardMode, type Norm } from './layers'
import type { Network } from './network'
import { ParamSet } from './params'

export interface DcganShape {
  imageSize: 32 | 64
  channels: 1 | 3
  nz: number
  ngf: number
  ndf: number
  /** A conditional GAN's number of classes; 0 (or absent) for others. */
  classes?: number
}

export type DcganActivation = 'relu' | 'leakyRelu' | 'tanh' | 'none'

/** One convolution (conv2d in D, conv2dTranspose in G), its optional BatchNorm, then its activation. */
export interface DcganLayer {
  kind: 'conv' | 'convTranspose'
  /** conv: [k, k, in, out]. convTranspose: [k, k, out, in]. */
  kernel: tf.Variable
  stride: number
  pad: 'same' | 'valid'
  outChannels: number
  /** Output height and width. */
  outSize: number
  norm: Norm | null
  activation: DcganActivation
}

export interface DcganNetwork extends Network {
  readonly role: 'generator' | 'discriminator'
  readonly layers: readonly DcganLayer[]
  /** A conditional G's label embedding, joined to z before the first layer (null otherwise). */
  readonly embedding: LabelEmbedding | null
}

export function isDcganNetwork(network: Network): network is DcganNetwork {
  return Array.isArray((network as Partial<DcganNetwork>).layers)
}

const WEIGHT_STD = 0.02

/** Stride-2 layers between 4 px and the image size: 3 for 32 px, 4 for 64 px. */
function upsamplingLayers(imageSize: number): number {
  return Math.log2(imageSize) - 2
}

/** The layers with TF.js ops; D's [N, 1, 1, 1] logits come out as [N, 1]. */
function applyLayers(layers: readonly DcganLayer[], input: tf.Tensor, mode: ForwardMode): tf.Tensor {
  return tf.tidy(() => {
    const n = input.shape[0]
    let x = input as tf.Tensor4D
    for (const layer of layers) {
      const kernel = layer.kernel as tf.Tensor4D
      x =
        layer.kind === 'conv'
          ? tf.conv2d(x, kernel, layer.stride, layer.pad)
          : tf.conv2dTranspose(x, kernel, [n, layer.outSize, layer.outSize, layer.outChannels], layer.stride, layer.pad)
      if (layer.norm) x = layer.norm.apply(x, mode) as tf.Tensor4D
      if (layer.activation === 'relu') x = tf.relu(x)
      else if (layer.activation === 'leakyRelu') x = leakyRelu(x, mode) as tf.Tensor4D
      else if (layer.activation === 'tanh') x = tf.tanh(x)
    }
    return x.shape[1] === 1 && x.shape[2] === 1 && x.shape[3] === 1 ? tf.reshape(x, [n, 1]) : x
  })
}

export function buildDcganGenerator(shape: DcganShape, random: Random): DcganNetwork {
  const params = new ParamSet('G')
  const classes = shape.classes ?? 0
  const steps = upsamplingLayers(shape.imageSize)
  // A conditional G's first layer sees z and the label embedding (its width is fixed by nz: model-size.ts).
  const inputChannels = shape.nz + (classes > 0 ? labelEmbeddingSize(shape.nz) : 0)
  // Channel widths from the 4 px layer down: ngf * 2^(steps-1), ..., ngf, then the image channels.
  const widths = Array.from({ length: steps }, (_, i) => shape.ngf * 2 ** (steps - 1 - i))
  // conv2dTranspose filters are [h, w, out, in]. Created in checkpoint order: kernel, then its BatchNorm.
  const layers: DcganLayer[] = [
    {
      kind: 'convTranspose',
      kernel: params.normal('convT0/kernel', [4, 4, widths[0], inputChannels], random, 0, WEIGHT_STD),
      stride: 1,
      pad: 'valid',
      outChannels: widths[0],
      outSize: 4,
      norm: new BatchNorm(params, 'bn0', widths[0], random),
      activation: 'relu'
    }
  ]
  widths.forEach((inC, i) => {
    const last = i + 1 === widths.length
    const outC = last ? shape.channels : widths[i + 1]
    const kernel = params.normal(`convT${i + 1}/kernel`, [4, 4, outC, inC], random, 0, WEIGHT_STD)
    const norm = last ? null : new BatchNorm(params, `bn${i + 1}`, outC, random)
    layers.push({ kind: 'convTranspose', kernel, stride: 2, pad: 'same', outChannels: outC, outSize: 8 * 2 ** i, norm, activation: last ? 'tanh' : 'relu' })
  })
  // Last among G's weights (the order checkpoints and Adam keep).
  const embedding = classes > 0 ? new LabelEmbedding(params, classes, shape.nz, random) : null
  return {
    params,
    role: 'generator',
    layers,
    embedding,
    classes,
    inputShape: [1, 1, shape.nz],
    apply: (z, mode, classWeights) => {
      checkClassWeights(classWeights, classes, z.shape[0], 'this generator')
      if (!embedding) return applyLayers(layers, z, mode)
      return tf.tidy(() => applyLayers(layers, tf.reshape(embedding.joinTo(z, classWeights!), [z.shape[0], 1, 1, inputChannels]), mode))
    }
  }
}

/** D as in the paper (BatchNorm after every conv but the first), or with layer norm or none there (WGAN-GP). */
export function buildDcganDiscriminator(shape: DcganShape, random: Random, norm: DNorm = 'batch'): DcganNetwork {
  const params = new ParamSet('D')
  const classes = shape.classes ?? 0
  const steps = upsamplingLayers(shape.imageSize)
  const layers: DcganLayer[] = Array.from({ length: steps }, (_, i) => {
    // A conditional D's first layer sees a label map per class beside the image channels.
    const inC = i === 0 ? shape.channels + classes : shape.ndf * 2 ** (i - 1)
    const outC = shape.ndf * 2 ** i
    const kernel = params.normal(`conv${i}/kernel`, [4, 4, inC, outC], random, 0, WEIGHT_STD)
    const layerNorm = i === 0 ? null : createNorm(norm, params, i, outC, random)
    return { kind: 'conv', kernel, stride: 2, pad: 'same', outChannels: outC, outSize: shape.imageSize / 2 ** (i + 1), norm: layerNorm, activation: 'leakyRelu' }
  })
  const lastWidth = shape.ndf * 2 ** (steps - 1)
  layers.push({
    kind: 'conv',
    kernel: params.normal(`conv${steps}/kernel`, [4, 4, lastWidth, 1], random, 0, WEIGHT_STD),
    stride: 1,
    pad: 'valid',
    outChannels: 1,
    outSize: 1,
    norm: null,
    activation: 'none'
  })
  return {
    params,
    role: 'discriminator',
    layers,
    embedding: null,
    classes,
    inputShape: [shape.imageSize, shape.imageSize, shape.channels],
    apply: (images, mode, classWeights) => {
      checkClassWeights(classWeights, classes, images.shape[0], 'this discriminator')
      if (classes === 0) return applyLayers(layers, images, mode)
      return tf.tidy(() => applyLayers(layers, withLabelMaps(images, classWeights!), mode))
    }
  }
}
