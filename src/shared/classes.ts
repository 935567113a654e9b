// Classes for conditional GANs, as every side sees them: whether a data set's classes can train one, and the
// latent vectors of a conditional generator. Such a vector is z (nz values) followed by one weight per class:
// a one-hot tail asks for that class, a mixture for the embeddings' mixture (interpolating between classes).
import type { DatasetClasses } from './dataset'

export type { DatasetClasses }

/** A data set needs at least this many classes to train a conditional GAN on. */
export const MIN_CLASSES = 2

/** Images of each class in a conditional run's progress grid: one row per class. */
export const GRID_IMAGES_PER_CLASS = 8

/** The name of the scalar series holding class k's SWD (the run's samples of k against its real images of k). */
export function classSwdName(k: number): string {
  return `swd_class_${k}`
}

export interface ClassProblem {
  message: string
  hint: string
}

/**
 * Why a conditional run cannot train on these classes, or null when it can. `where` names the data set;
 * `details` says more about a class with no usable image (what was skipped there), names images outside
 * every class, and how the user turns conditioning off where they are (a flag, a checkbox).
 */
export function conditionalClassesProblem(
  classes: DatasetClasses | null,
  where: string,
  details: { emptyClass?: (name: string) => string; unlabeledExamples?: readonly string[]; turnOff?: string } = {}
): ClassProblem | null {
  const turnOff = details.turnOff ?? 'train without --conditional'
  const layout = `sort the images into one subfolder per class (root/cats/x.png, root/dogs/y.png), or ${turnOff}`
  if (classes === null || classes.names.length === 0) {
    return {
      message: `A conditional run needs classes, and ${where} has no subfolders: its classes would be its first-level subfolders.`,
      hint: `To train a conditional GAN, ${layout}.`
    }
  }
  if (classes.unlabeled > 0) {
    const n = classes.unlabeled
    const examples = details.unlabeledExamples?.length ? ` (e.g. ${details.unlabeledExamples.slice(0, 3).join(', ')})` : ''
    return {
      message: `${n.toLocaleString('en')} image${n === 1 ? ' lies' : 's lie'} directly in ${where}${examples}, outside every class subfolder: a conditional run cannot tell ${n === 1 ? 'its' : 'their'} class.`,
      hint: 'Move them into the subfolder of their class, or out of the folder.'
    }
  }
  if (classes.names.length < MIN_CLASSES) {
    return {
      message: `A conditional run needs at least ${MIN_CLASSES} classes; ${where} has one subfolder (${classes.names[0]}).`,
      hint: `Add a subfolder per class, or ${turnOff}.`
    }
  }
  const empty = classes.names.filter((_, i) => classes.counts[i] === 0)
  if (empty.length > 0) {
    const described = empty.map((name) => details.emptyClass?.(name) ?? `${name}/`)
    return {
      message: `${empty.length === 1 ? 'A class has' : `${empty.length} classes have`} no usable image in ${where}: ${described.join('; ')}.`,
      hint: 'A conditional GAN needs images of every class: add images to that subfolder, or remove it.'
    }
  }
  return null
}

/** Values in a latent vector of a generator with `classes` classes (0: unconditional). */
export function latentLength(nz: number, classes: number): number {
  return nz + classes
}

/** z followed by the one-hot weights of class `k` of `classes`. */
export function withClass(z: ArrayLike<number>, k: number, classes: number): number[] {
  checkClass(k, classes)
  const vector = Array.from(z)
  for (let c = 0; c < classes; c++) vector.push(c === k ? 1 : 0)
  return vector
}

/** The class a vector's tail weighs most (its class when one-hot), or null for an unconditional vector. */
export function classOf(vector: ArrayLike<number>, nz: number, classes: number): number | null {
  if (classes === 0) return null
  let best = 0
  for (let c = 1; c < classes; c++) if (vector[nz + c] > vector[nz + best]) best = c
  return best
}

/** A vector with its class part replaced by class `k`'s one-hot weights (its z kept). */
export function setClass(vector: ArrayLike<number>, nz: number, k: number, classes: number): number[] {
  return withClass(Array.from(vector).slice(0, nz), k, classes)
}

export function checkClass(k: number, classes: number): void {
  if (!Number.isInteger(k) || k < 0 || k >= classes) {
    throw new RangeError(`class ${k} does not exist: this generator has ${classes} class${classes === 1 ? '' : 'es'}, numbered 0 to ${classes - 1}`)
  }
}

/** How a class reads for people: '3 (Dress)' where the name says more than its number. */
export function classLabel(names: readonly string[], k: number): string {
  const name = names[k]
  return name === undefined || name === String(k) ? String(k) : `${k} (${name})`
}

/**
 * The progress grid's layout. Unconditional: the first `fixedNoiseCount` fixed-noise vectors, 8 a row.
 * Conditional: one row per class, the same GRID_IMAGES_PER_CLASS fixed-noise vectors in every row (a column
 * shows one z across the classes).
 */
export function progressGridShape(classes: number, fixedNoiseCount: number): { count: number; perRow: number } {
  return classes === 0 ? { count: fixedNoiseCount, perRow: 8 } : { count: classes * GRID_IMAGES_PER_CLASS, perRow: GRID_IMAGES_PER_CLASS }
}

/** The progress grid's latent vectors (see progressGridShape), from the run's fixed noise. */
export function progressGridLatents(fixed: Float32Array, nz: number, classes: number, fixedNoiseCount: number): Float32Array {
  const { count, perRow } = progressGridShape(classes, fixedNoiseCount)
  return classes === 0 ? fixed.subarray(0, count * nz) : perClassLatents(fixed, nz, classes, perRow)
}

/** One row per class: the first `perClass` vectors of `noise` (n * nz values) in each, class k in row k. */
export function perClassLatents(noise: Float32Array, nz: number, classes: number, perClass: number): Float32Array {
  return latentsWithClasses(noise, nz, classes, classes * perClass, (i) => Math.floor(i / perClass), (i) => i % perClass)
}

/**
 * `count` conditional vectors: vector i is z number `zOf(i)` of `noise` (default i) with class `classOf(i)`.
 */
export function latentsWithClasses(
  noise: Float32Array,
  nz: number,
  classes: number,
  count: number,
  classOf: (i: number) => number,
  zOf: (i: number) => number = (i) => i
): Float32Array {
  const length = latentLength(nz, classes)
  const latents = new Float32Array(count * length)
  for (let i = 0; i < count; i++) {
    const j = zOf(i)
    const k = classOf(i)
    checkClass(k, classes)
    latents.set(noise.subarray(j * nz, (j + 1) * nz), i * length)
    latents[i * length + nz + k] = 1
  }
  return latents
}
