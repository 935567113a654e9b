// The vanilla GAN of Goodfellow et al. with fully connected layers: G z-128-256-512-pixels, D
// pixels-512-256-1, LeakyReLU(0.2) between layers. A simple second architecture that trains fast on
// small grayscale images and shows what convolutions add.
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import type { DNorm } from '../../shared/training-options'
import { createNorm, leakyRelu, type ForwardMode, type Norm } from './layers'
import type { Network } from './network'
import { ParamSet } from './params'

export interface MlpShape {
  imageSize: number
  channels: 1 | 3
  nz: number
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
  const pixels = shape.imageSize * shape.imageSize * shape.channels
  const layers = denseStack(params, [shape.nz, ...G_WIDTHS, pixels], random)
  return {
    params,
    inputShape: [1, 1, shape.nz],
    apply(z: tf.Tensor, mode: ForwardMode): tf.Tensor {
      return tf.tidy(() => {
        const n = z.shape[0]
        const out = applyStack(tf.reshape(z, [n, shape.nz]), layers, mode, (t) => tf.tanh(t))
        return tf.reshape(out, [n, shape.imageSize, shape.imageSize, shape.channels])
      })
    }
  }
}

/** D without normalization, as Goodfellow et al.'s; BatchNorm or layer norm in its hidden layers when asked. */
export function buildMlpDiscriminator(shape: MlpShape, random: Random, norm: DNorm = 'none'): Network {
  const params = new ParamSet('D')
  const pixels = shape.imageSize * shape.imageSize * shape.channels
  const layers = denseStack(params, [pixels, ...D_WIDTHS, 1], random, norm)
  return {
    params,
    inputShape: [shape.imageSize, shape.imageSize, shape.channels],
    apply(images: tf.Tensor, mode: ForwardMode): tf.Tensor {
      return tf.tidy(() => applyStack(tf.reshape(images, [images.shape[0], pixels]), layers, mode, (t) => t))
    }
  }
}
