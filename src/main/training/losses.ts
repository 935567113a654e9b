// The GAN losses, as functions of D's logits only (so a label input joining G and D later changes nothing
// here): D's loss on real logits, on fake logits, and G's loss on fake logits, each a mean over the batch of
// one function of each logit. Written twice, side by side: with TF.js ops for autograd, and per element
// (value and derivative) for the hand-written wasm engine. The figure charted as D(x), D(G(z)) is the mean
// sigmoid for BCE and the raw output for the others (a critic's score for the WGANs).
//
//   loss      D on real (target y)      D on fake          G on fake
//   bce       softplus(l) - y l         softplus(l)        softplus(l) - l     (non-saturating)
//   lsgan     (l - y)^2 / 2             l^2 / 2            (l - 1)^2 / 2       (Mao et al., a=0 b=c=1)
//   hinge     max(0, 1 - l)             max(0, 1 + l)      -l
//   wgan(-gp) -l                        l                  -l
import * as tf from '@tensorflow/tfjs'
import type { LossName } from '../../shared/training-options'
import { bceWithLogits } from './layers'

export type LossTerm = 'real' | 'fake' | 'generator'

/** The term's mean over the batch, with TF.js ops. `target` is the real label (bce, lsgan). */
export function lossTerm(loss: LossName, term: LossTerm, logits: tf.Tensor, target = 1): tf.Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case 'bce':
        return bceWithLogits(logits, term === 'real' ? target : term === 'fake' ? 0 : 1)
      case 'lsgan': {
        const y = term === 'real' ? target : term === 'fake' ? 0 : 1
        return tf.mul(tf.mean(tf.square(tf.sub(logits, y))), 0.5) as tf.Scalar
      }
      case 'hinge':
        if (term === 'generator') return tf.neg(tf.mean(logits)) as tf.Scalar
        return tf.mean(tf.relu(term === 'real' ? tf.sub(1, logits) : tf.add(1, logits)))
      case 'wgan':
      case 'wgan-gp':
        return term === 'fake' ? tf.mean(logits) : (tf.neg(tf.mean(logits)) as tf.Scalar)
    }
  })
}

/** The charted figure per logit: a probability for BCE, D's raw output for the others. */
export function scoreOf(loss: LossName, logits: tf.Tensor): tf.Tensor {
  return loss === 'bce' ? tf.sigmoid(logits) : logits
}

export interface ElementwiseLoss {
  /** The term's value at one logit (the loss is its mean). */
  value(l: number): number
  /** Its derivative with respect to the logit. */
  slope(l: number): number
  /** The charted figure at one logit. */
  score(l: number): number
}

const sigmoid = (l: number) => 1 / (1 + Math.exp(-l))
const identity = (l: number) => l

/** The same terms, per element, for code that differentiates by hand. */
export function elementwiseLoss(loss: LossName, term: LossTerm, target = 1): ElementwiseLoss {
  switch (loss) {
    case 'bce': {
      const y = term === 'real' ? target : term === 'fake' ? 0 : 1
      // softplus(l) - y l, stable for large |l|.
      return { value: (l) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))) - y * l, slope: (l) => sigmoid(l) - y, score: sigmoid }
    }
    case 'lsgan': {
      const y = term === 'real' ? target : term === 'fake' ? 0 : 1
      return { value: (l) => 0.5 * (l - y) * (l - y), slope: (l) => l - y, score: identity }
    }
    case 'hinge':
      if (term === 'generator') return { value: (l) => -l, slope: () => -1, score: identity }
      // relu's derivative at 0 is 0, as in TF.js.
      if (term === 'real') return { value: (l) => Math.max(0, 1 - l), slope: (l) => (1 - l > 0 ? -1 : 0), score: identity }
      return { value: (l) => Math.max(0, 1 + l), slope: (l) => (1 + l > 0 ? 1 : 0), score: identity }
    case 'wgan':
    case 'wgan-gp':
      return term === 'fake' ? { value: identity, slope: () => 1, score: identity } : { value: (l) => -l, slope: () => -1, score: identity }
  }
}
