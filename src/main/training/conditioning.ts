// How a conditional GAN's networks see the class (Mirza & Osindero 2014, in the DCGAN form of the common
// cDCGAN; gordicaleksa/pytorch-GANs joins one-hot labels the same way in its MLP cGAN):
// - G: a trainable label embedding, a classes x E table (E = 50, at most nz) drawn from N(0, 1) as
//   torch.nn.Embedding's, from the run's seed with our PRNG. Class weights c (one-hot in training, any mixture
//   when exploring) give c·table, joined to z: G's first layer sees nz + E input channels. A mixture of two
//   classes is the same mixture of their embeddings, so interpolating between classes is linear in it.
// - D: the class weights as constant label maps, one per class, joined to the image channels (DCGAN), or to
//   the flattened pixels (MLP): D's first layer sees what the image is claimed to be.
// Both are plain TF.js ops: autograd trains them on every backend; the wasm engine does the same by hand.
import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../shared/random'
import { labelEmbeddingSize } from '../../shared/model-size'
import type { ParamSet } from './params'

/** The embedding's name among G's weights (checkpoints and model export know it by it). */
export const LABEL_EMBEDDING = 'label_embedding'

export class LabelEmbedding {
  readonly table: tf.Variable
  readonly size: number

  constructor(
    params: ParamSet,
    readonly classes: number,
    nz: number,
    random: Random
  ) {
    this.size = labelEmbeddingSize(nz)
    this.table = params.normal(LABEL_EMBEDDING, [classes, this.size], random, 0, 1)
  }

  /** z [N, ...nz] and class weights [N, classes] -> [N, nz + E] (z's other axes folded). */
  joinTo(z: tf.Tensor, classWeights: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const n = z.shape[0]
      const embedded = tf.matMul(classWeights as tf.Tensor2D, this.table as tf.Tensor2D)
      return tf.concat([tf.reshape(z, [n, z.size / n]), embedded], 1) as tf.Tensor2D
    })
  }
}

/** Images [N, S, S, C] and class weights [N, K] -> [N, S, S, C + K]: each class weight as a constant map. */
export function withLabelMaps(images: tf.Tensor, classWeights: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = images.shape
    const k = classWeights.shape[1]!
    const maps = tf.tile(tf.reshape(classWeights, [n, 1, 1, k]), [1, h!, w!, 1])
    return tf.concat([images as tf.Tensor4D, maps as tf.Tensor4D], 3)
  })
}

/** Flattened pixels [N, P] and class weights [N, K] -> [N, P + K]. */
export function withClassWeights(flat: tf.Tensor2D, classWeights: tf.Tensor): tf.Tensor2D {
  return tf.concat([flat, classWeights as tf.Tensor2D], 1)
}

/** Throws unless a conditional network got one row of `classes` weights per image (and another got none). */
export function checkClassWeights(classWeights: tf.Tensor | undefined, classes: number, n: number, who: string): void {
  if (classes === 0) {
    if (classWeights) throw new Error(`${who} is not conditional: it takes no class weights`)
    return
  }
  if (!classWeights) throw new Error(`${who} is conditional: it needs the class of each image`)
  if (classWeights.rank !== 2 || classWeights.shape[0] !== n || classWeights.shape[1] !== classes) {
    throw new Error(`${who} needs class weights of shape [${n}, ${classes}], got [${classWeights.shape}]`)
  }
}

/** One-hot class weights [n, classes] for labels (numbers 0 to classes - 1). */
export function oneHotClasses(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  const values = new Float32Array(labels.length * classes)
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]
    if (!Number.isInteger(k) || k < 0 || k >= classes) throw new Error(`image ${i} has label ${k}, outside the ${classes} classes`)
    values[i * classes + k] = 1
  }
  return tf.tensor2d(values, [labels.length, classes])
}
