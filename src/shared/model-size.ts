// How big a run's networks are, from its config alone (the CLI's start line, `gan-studio show`, the run view):
// the layer shapes of src/main/training/dcgan.ts, mlp.ts and conditioning.ts in numbers. A test builds the
// networks and checks these counts against theirs, so the two cannot drift apart.
import type { RunConfig } from './config'

/** The label embedding's width: joined to z in G (Keras's conditional GAN recipe uses 50), at most nz. */
export const LABEL_EMBEDDING_SIZE = 50

export function labelEmbeddingSize(nz: number): number {
  return Math.min(LABEL_EMBEDDING_SIZE, nz)
}

export interface ModelSize {
  /** Trainable parameters of G, its label embedding included. */
  generator: number
  discriminator: number
  /** Of G's: the label embedding's (classes x width); 0 for an unconditional run. */
  embedding: number
}

type ModelConfig = Pick<RunConfig, 'arch' | 'imageSize' | 'nz' | 'ngf' | 'ndf' | 'conditional'>

const G_WIDTHS = [128, 256, 512]
const D_WIDTHS = [512, 256]

/** `classes` counts only for a conditional config. */
export function modelSize(config: ModelConfig, channels: 1 | 3, classes: number): ModelSize {
  const k = config.conditional ? classes : 0
  const e = k > 0 ? labelEmbeddingSize(config.nz) : 0
  const embedding = k * e
  if (config.arch === 'mlp') {
    const pixels = config.imageSize * config.imageSize * channels
    const dense = (widths: number[]) => widths.slice(1).reduce((n, out, i) => n + widths[i] * out + out, 0)
    return { generator: dense([config.nz + e, ...G_WIDTHS, pixels]) + embedding, discriminator: dense([pixels + k, ...D_WIDTHS, 1]), embedding }
  }
  const steps = Math.log2(config.imageSize) - 2
  const g = Array.from({ length: steps }, (_, i) => config.ngf * 2 ** (steps - 1 - i))
  // G: the 4 px layer (kernel and BatchNorm), then each doubling layer, the last without BatchNorm.
  let generator = 16 * g[0] * (config.nz + e) + 2 * g[0] + embedding
  g.forEach((inC, i) => {
    const last = i + 1 === g.length
    const outC = last ? channels : g[i + 1]
    generator += 16 * inC * outC + (last ? 0 : 2 * outC)
  })
  // D: halving layers (BatchNorm on all but the first), the first seeing the label maps too; then the logit.
  let discriminator = 0
  for (let i = 0; i < steps; i++) {
    const inC = i === 0 ? channels + k : config.ndf * 2 ** (i - 1)
    const outC = config.ndf * 2 ** i
    discriminator += 16 * inC * outC + (i === 0 ? 0 : 2 * outC)
  }
  discriminator += 16 * config.ndf * 2 ** (steps - 1)
  return { generator, discriminator, embedding }
}

/** One line for people: 'DCGAN 32 px, conditional on 10 classes: G 1,234,567 parameters (...), D 663,552'. */
export function describeModel(config: ModelConfig, channels: 1 | 3, classes: number): string {
  const size = modelSize(config, channels, classes)
  const n = (v: number) => v.toLocaleString('en')
  const arch = `${config.arch === 'mlp' ? 'MLP' : 'DCGAN'} ${config.imageSize} px`
  if (!config.conditional) return `${arch}: G ${n(size.generator)} parameters, D ${n(size.discriminator)}`
  const e = labelEmbeddingSize(config.nz)
  const dInput = config.arch === 'mlp' ? `${classes} class weights joined to the pixels` : `${classes} label maps joined to the image channels`
  return (
    `${arch}, conditional on ${classes} classes: G ${n(size.generator)} parameters (label embedding ${classes}×${e} = ${n(size.embedding)}, joined to z), ` +
    `D ${n(size.discriminator)} (${dInput})`
  )
}
