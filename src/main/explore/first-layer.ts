// A generator's first layer as an affine map from the latent vector, y = act(W z + b): what SeFa factorizes
// and whose activations GANSpace analyses. The DCGAN's 4 x 4 transposed convolution on a 1 x 1 input is a
// matrix on z (one row per output pixel and channel) and its eval-mode BatchNorm a per-channel scale and
// shift, folded in; the MLP's first dense layer is a matrix already. A conditional generator's first layer
// also sees its label embedding after z: those inputs depend on the class, not on z, so W keeps z's columns
// only and the directions stay in z.
import { BATCH_NORM_EPSILON } from '../training/layers'
import type { Network } from '../training/network'
import { readTensors } from '../training/read'

export type FirstLayerActivation = 'relu' | 'leakyRelu' | 'none'

export interface FirstLayer {
  nz: number
  /** Number of outputs (rows of W): 16 x the first layer's channels for the DCGAN, 128 for the MLP. */
  outputs: number
  /** outputs x nz, row-major. */
  weight: Float64Array
  bias: Float64Array
  /** The nonlinearity after the layer ('none' only in tests). */
  activation: FirstLayerActivation
  /** Which layer this is, for the user. */
  description: string
}

/** The first layer of a DCGAN or MLP generator, from its current weights (BatchNorm's running statistics included). */
export async function firstLayerOf(generator: Network, nz: number): Promise<FirstLayer> {
  const names = [...generator.params.trainableNames(), ...generator.params.bufferNames()]
  const variables = [...generator.params.trainable, ...generator.params.buffers]
  const find = (name: string) => {
    const i = names.indexOf(name)
    return i < 0 ? null : variables[i]
  }
  const convolution = find('convT0/kernel')
  if (convolution) {
    const [kh, kw, channels, inputs] = convolution.shape
    checkInputs(generator, inputs, nz)
    const parts = ['bn0/gamma', 'bn0/beta', 'bn0/running_mean', 'bn0/running_var'].map(find)
    if (parts.some((p) => p === null)) throw new Error("the generator's first BatchNorm is missing")
    const [kernel, gamma, beta, mean, variance] = await readTensors([convolution, ...parts.map((p) => p!)])
    // The kernel is [kh, kw, channels, nz]: row (y * kw + x) * channels + c, column k, as laid out.
    const outputs = kh * kw * channels
    const weight = new Float64Array(outputs * nz)
    const bias = new Float64Array(outputs)
    for (let row = 0; row < outputs; row++) {
      const c = row % channels
      const scale = gamma[c] / Math.sqrt(variance[c] + BATCH_NORM_EPSILON)
      for (let k = 0; k < nz; k++) weight[row * nz + k] = kernel[row * inputs + k] * scale
      bias[row] = beta[c] - mean[c] * scale
    }
    return { nz, outputs, weight, bias, activation: 'relu', description: `the first transposed convolution (${kh}×${kw}×${channels}) with its BatchNorm` }
  }
  const dense = find('dense0/kernel')
  const denseBias = find('dense0/bias')
  if (dense && denseBias) {
    const [inputs, outputs] = dense.shape
    checkInputs(generator, inputs, nz)
    const [kernel, b] = await readTensors([dense, denseBias])
    // The kernel is [nz, outputs]: W is its transpose.
    const weight = new Float64Array(outputs * nz)
    for (let k = 0; k < nz; k++) for (let j = 0; j < outputs; j++) weight[j * nz + k] = kernel[k * outputs + j]
    return { nz, outputs, weight, bias: Float64Array.from(b), activation: 'leakyRelu', description: `the first dense layer (${nz} to ${outputs})` }
  }
  throw new Error('this generator has no first layer that latent directions know (a DCGAN or MLP generator is needed)')
}

/** z comes first among the first layer's inputs; only a conditional generator has more (its label embedding). */
function checkInputs(generator: Network, inputs: number, nz: number): void {
  if (generator.classes === 0 ? inputs !== nz : inputs <= nz) throw new Error(`the first layer takes ${inputs} inputs, not nz = ${nz}`)
}
