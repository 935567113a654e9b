// The vanilla GAN of Goodfellow et al. with fully connected layers: G z-128-256-512-pixels, D
// pixels-512-256-1, LeakyReLU(0.2) between layers. A simple second architecture that trains fast on
// small grayscale images and shows what convolutions add. Conditional (conditioning.ts): G sees z joined to
// the label embedding, D the pixels joined to the class weights, as in gordicaleksa/pytorch-GANs' cGAN.
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import type { DNorm } from '../../shared/training-options'
import { labelEmbeddingSize } from '../../shared/model-size'
import { checkClassWeights, LabelEmbedding, withClassWeights } from './conditioning'
import { createNorm, leakyRelu, type ForwardMode, type Norm } from './layers'
import type { Network } from './network'
import { ParamSet } from './params'

export interface MlpShape {
  imageSize: number
  channels: 1 | 3
  nz: number
  /** A conditional GAN's number of classes; 0 (or absent) for others. */
  classes?: number
}

const WEIGHT_STD = 0.02
const G_WIDTHS = [128, 256, 512]
const D_WIDTHS = [512, 256]

interface Dense {
  kernel: tf.Variable
  bias: tf.Variable
  /** Normalization before the activation (hidden layers of D only, when asked for). */
  norm: Norm | null
}

function denseStack(params: ParamSet, widths: number[], random: Random, norm: DNorm = 'none'): Dense[] {
  return widths.slice(1).map((out, i) => ({
    kernel: params.normal(`dense${i}/kernel`, [widths[i], out], random, 0, WEIGHT_STD),
    bias: params.filled(`dense${i}/bias`, [out], 0),
    norm: i + 2 < widths.length ? createNorm(norm, params, i, out, random) : null
  }))
}

function applyStack(x: tf.Tensor2D, layers: Dense[], mode: ForwardMode, last: (t: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  layers.forEach((layer, i) => {
    let y = tf.add(tf.matMul(x, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D
    if (layer.norm) y = layer.norm.apply(y, mode) as tf.Tensor2D
    x = i + 1 < layers.length ? (leakyRelu(y, mode) as tf.Tensor2D) : last(y)
  })
  return x
}

export function buildMlpGenerator(shape: MlpShape, random: Random): Network {
  const params = new ParamSet('G')
  const classes = shape.classes ?? 0
  const pixels = shape.imageSize * shape.imageSize * shape.channels
  const inputs = shape.nz + (classes > 0 ? labelEmbeddingSize(shape.nz) : 0)
  const layers = denseStack(params, [inputs, ...G_WIDTHS, pixels], random)
  const embedding = classes > 0 ? new LabelEmbedding(params, classes, shape.nz, random) : null
  return {
    params,
    classes,
    inputShape: [1, 1, shape.nz],
    apply(z: tf.Tensor, mode: ForwardMode, classWeights?: tf.Tensor): tf.Tensor {
      checkClassWeights(classWeights, classes, z.shape[0], 'this generator')
      return tf.tidy(() => {
        const n = z.shape[0]
        const input = embedding ? embedding.joinTo(z, classWeights!) : tf.reshape(z, [n, shape.nz])
        const out = applyStack(input as tf.Tensor2D, layers, mode, (t) => tf.tanh(t))
        return tf.reshape(out, [n, shape.imageSize, shape.imageSize, shape.channels])
      })
    }
  }
}

/** D without normalization, as Goodfellow et al.'s; BatchNorm or layer norm in its hidden layers when asked. */
export function buildMlpDiscriminator(shape: MlpShape, random: Random, norm: DNorm = 'none'): Network {
  const params = new ParamSet('D')
  const classes = shape.classes ?? 0
  const pixels = shape.imageSize * shape.imageSize * shape.channels
  const layers = denseStack(params, [pixels + classes, ...D_WIDTHS, 1], random, norm)
  return {
    params,
    classes,
    inputShape: [shape.imageSize, shape.imageSize, shape.channels],
    apply(images: tf.Tensor, mode: ForwardMode, classWeights?: tf.Tensor): tf.Tensor {
      checkClassWeights(classWeights, classes, images.shape[0], 'this discriminator')
      return tf.tidy(() => {
        const flat = tf.reshape(images, [images.shape[0], pixels]) as tf.Tensor2D
        return applyStack(classes > 0 ? withClassWeights(flat, classWeights!) : flat, layers, mode, (t) => t)
      })
    }
  }
}
