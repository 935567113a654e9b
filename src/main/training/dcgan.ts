// DCGAN (Radford et al. 2015) as in the PyTorch tutorial, for 32 or 64 px images.
// G: ConvTranspose 4x4 (1 -> 4 px), then stride-2 ConvTranspose layers doubling the size, BatchNorm + ReLU
// between them and Tanh at the end. D mirrors it with strided convs, BatchNorm (not on the first layer)
// and LeakyReLU(0.2), ending in one logit. No biases, as in the tutorial (BatchNorm makes them redundant).
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import { BatchNorm, LEAKY_SLOPE, type ForwardMode } from './layers'
import type { Network } from './network'
import { ParamSet } from './params'

export interface DcganShape {
  imageSize: 32 | 64
  channels: 1 | 3
  nz: number
  ngf: number
  ndf: number
}

const WEIGHT_STD = 0.02

/** Stride-2 layers between 4 px and the image size: 3 for 32 px, 4 for 64 px. */
function upsamplingLayers(imageSize: number): number {
  return Math.log2(imageSize) - 2
}

export function buildDcganGenerator(shape: DcganShape, random: Random): Network {
  const params = new ParamSet('G')
  const steps = upsamplingLayers(shape.imageSize)
  // Channel widths from the 4 px layer down: ngf * 2^(steps-1), ..., ngf, then the image channels.
  const widths = Array.from({ length: steps }, (_, i) => shape.ngf * 2 ** (steps - 1 - i))
  // conv2dTranspose filters are [h, w, out, in].
  const first = params.normal('convT0/kernel', [4, 4, widths[0], shape.nz], random, 0, WEIGHT_STD)
  const firstNorm = new BatchNorm(params, 'bn0', widths[0], random)
  const ups = widths.map((inC, i) => {
    const outC = i + 1 < widths.length ? widths[i + 1] : shape.channels
    const kernel = params.normal(`convT${i + 1}/kernel`, [4, 4, outC, inC], random, 0, WEIGHT_STD)
    const norm = i + 1 < widths.length ? new BatchNorm(params, `bn${i + 1}`, outC, random) : null
    return { kernel, norm, outC }
  })

  return {
    params,
    inputShape: [1, 1, shape.nz],
    apply(z: tf.Tensor, mode: ForwardMode): tf.Tensor {
      return tf.tidy(() => {
        const n = z.shape[0]
        let size = 4
        let x: tf.Tensor4D = tf.conv2dTranspose(
          z as tf.Tensor4D,
          first as tf.Tensor4D,
          [n, size, size, widths[0]],
          1,
          'valid'
        )
        x = tf.relu(firstNorm.apply(x, mode)) as tf.Tensor4D
        for (const layer of ups) {
          size *= 2
          x = tf.conv2dTranspose(x, layer.kernel as tf.Tensor4D, [n, size, size, layer.outC], 2, 'same')
          x = (layer.norm ? tf.relu(layer.norm.apply(x, mode)) : tf.tanh(x)) as tf.Tensor4D
        }
        return x
      })
    }
  }
}

export function buildDcganDiscriminator(shape: DcganShape, random: Random): Network {
  const params = new ParamSet('D')
  const steps = upsamplingLayers(shape.imageSize)
  const convs = Array.from({ length: steps }, (_, i) => {
    const inC = i === 0 ? shape.channels : shape.ndf * 2 ** (i - 1)
    const outC = shape.ndf * 2 ** i
    const kernel = params.normal(`conv${i}/kernel`, [4, 4, inC, outC], random, 0, WEIGHT_STD)
    const norm = i === 0 ? null : new BatchNorm(params, `bn${i}`, outC, random)
    return { kernel, norm }
  })
  const lastWidth = shape.ndf * 2 ** (steps - 1)
  const final = params.normal(`conv${steps}/kernel`, [4, 4, lastWidth, 1], random, 0, WEIGHT_STD)

  return {
    params,
    inputShape: [shape.imageSize, shape.imageSize, shape.channels],
    apply(images: tf.Tensor, mode: ForwardMode): tf.Tensor {
      return tf.tidy(() => {
        let x = images as tf.Tensor4D
        for (const layer of convs) {
          x = tf.conv2d(x, layer.kernel as tf.Tensor4D, 2, 'same')
          if (layer.norm) x = layer.norm.apply(x, mode) as tf.Tensor4D
          x = tf.leakyRelu(x, LEAKY_SLOPE)
        }
        const logits = tf.conv2d(x, final as tf.Tensor4D, 1, 'valid')
        return tf.reshape(logits, [images.shape[0], 1])
      })
    }
  }
}
