// Latent-space math for exploring a generator: linear and spherical interpolation between latent vectors,
// the frames between two of them, and animation paths through several keyframes. Pure: used by the
// exporters and the UI. A conditional generator's vectors end in class weights (src/shared/classes.ts):
// `classes` of them, always interpolated linearly, which interpolates the label embedding linearly too; the
// mode applies to z.

/** A latent vector as the UI, the store (number[]) or the generator (Float32Array) holds it. */
export type LatentVector = ArrayLike<number>

export type InterpolationMode = 'linear' | 'spherical'

export interface PathOptions {
  /** The path is a cycle meant to repeat: it goes back toward the first key and stops one step short of it. */
  loop: boolean
  /** Play forward through the keys, then back, showing each turning key once. */
  pingPong: boolean
}

/**
 * Below this, sin(omega) is treated as zero: the vectors are parallel or anti-parallel and slerp has no
 * unique great circle, so it falls back to lerp (White, "Sampling Generative Networks", 2016).
 */
export const PARALLEL_EPSILON = 1e-7

function checkPair(a: LatentVector, b: LatentVector): void {
  if (a.length !== b.length) {
    throw new Error(`latent vectors must have the same length to interpolate, got ${a.length} and ${b.length} (are they from generators with different nz?)`)
  }
  if (a.length === 0) throw new Error('latent vectors must not be empty')
}

function checkT(t: number): void {
  if (!Number.isFinite(t)) throw new Error(`interpolation position t must be a finite number, got ${t}`)
}

/** (1 - t) a + t b. t = 0 gives a and t = 1 gives b exactly (as float32). */
export function lerp(a: LatentVector, b: LatentVector, t: number): Float32Array {
  checkPair(a, b)
  checkT(t)
  if (t === 0) return Float32Array.from(a)
  if (t === 1) return Float32Array.from(b)
  const out = new Float32Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i]
  return out
}

/**
 * Spherical interpolation along the great circle between the directions of a and b: the path a Gaussian
 * prior favours, since a linear midpoint of two high-dimensional normal vectors is unusually short.
 * Falls back to lerp for (anti)parallel vectors and when either vector is zero.
 */
export function slerp(a: LatentVector, b: LatentVector, t: number): Float32Array {
  checkPair(a, b)
  checkT(t)
  if (t === 0) return Float32Array.from(a)
  if (t === 1) return Float32Array.from(b)
  let dot = 0
  let normA = 0
  let normB = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i]
    normA += a[i] * a[i]
    normB += b[i] * b[i]
  }
  if (normA === 0 || normB === 0) return lerp(a, b, t)
  const cosine = Math.min(1, Math.max(-1, dot / Math.sqrt(normA * normB)))
  const omega = Math.acos(cosine)
  const sinOmega = Math.sin(omega)
  if (sinOmega < PARALLEL_EPSILON) return lerp(a, b, t)
  const wa = Math.sin((1 - t) * omega) / sinOmega
  const wb = Math.sin(t * omega) / sinOmega
  const out = new Float32Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i]
  return out
}

function checkMode(mode: InterpolationMode): void {
  if (mode !== 'linear' && mode !== 'spherical') {
    throw new Error(`interpolation mode must be 'linear' or 'spherical', got '${String(mode)}'`)
  }
}

export function interpolate(a: LatentVector, b: LatentVector, t: number, mode: InterpolationMode, classes = 0): Float32Array {
  checkMode(mode)
  if (classes === 0 || mode === 'linear') return mode === 'linear' ? lerp(a, b, t) : slerp(a, b, t)
  checkPair(a, b)
  if (!Number.isInteger(classes) || classes < 0 || classes >= a.length) throw new Error(`a vector of ${a.length} values cannot end in ${classes} class weights`)
  const nz = a.length - classes
  const out = new Float32Array(a.length)
  out.set(slerp(Array.prototype.slice.call(a, 0, nz), Array.prototype.slice.call(b, 0, nz), t))
  out.set(lerp(Array.prototype.slice.call(a, nz), Array.prototype.slice.call(b, nz), t), nz)
  return out
}

function checkCount(what: string, count: number, min: number): void {
  if (!Number.isInteger(count) || count < min) throw new Error(`${what} must be a whole number of at least ${min}, got ${count}`)
}

/**
 * `count` evenly spaced frames from a to b, both included (count 1 gives only a). Every frame is a new
 * array.
 */
export function interpolationFrames(a: LatentVector, b: LatentVector, count: number, mode: InterpolationMode, classes = 0): Float32Array[] {
  checkPair(a, b)
  checkCount('the number of frames', count, 1)
  checkMode(mode)
  if (count === 1) return [Float32Array.from(a)]
  return Array.from({ length: count }, (_, i) => interpolate(a, b, i / (count - 1), mode, classes))
}

/** Frames from a toward b, a included and b left out, so that segments join without repeating a key. */
function segment(a: LatentVector, b: LatentVector, frames: number, mode: InterpolationMode, classes: number): Float32Array[] {
  return Array.from({ length: frames }, (_, i) => interpolate(a, b, i / frames, mode, classes))
}

/**
 * The latent vectors of an animation through `keys` (2 or more), `framesPerSegment` frames from one key to
 * the next (the key itself counts, the next one does not). With k keys and f frames per segment:
 * - neither option: key 0 ... key k-1, ending on the last key: (k - 1) f + 1 frames;
 * - loop: on through a closing segment back toward key 0, ending one frame before it, so that repeating
 *   the path (a looping GIF) shows key 0 once per cycle: k f frames;
 * - pingPong: forward to the last key and back to key 0, each turning key once: 2 (k - 1) f + 1 frames;
 * - pingPong and loop: the same without the final key 0, which the next cycle starts with: 2 (k - 1) f.
 */
export function keyframePath(keys: readonly LatentVector[], framesPerSegment: number, mode: InterpolationMode, options: PathOptions, classes = 0): Float32Array[] {
  if (keys.length < 2) throw new Error(`an animation path needs at least 2 keyframes, got ${keys.length}`)
  keys.forEach((key, i) => {
    if (key.length !== keys[0].length) {
      throw new Error(`every keyframe must have the same length: keyframe 0 has ${keys[0].length} values, keyframe ${i} has ${key.length}`)
    }
  })
  if (keys[0].length === 0) throw new Error('latent vectors must not be empty')
  checkCount('frames per segment', framesPerSegment, 1)
  checkMode(mode)

  const forward: Float32Array[] = []
  for (let i = 0; i + 1 < keys.length; i++) forward.push(...segment(keys[i], keys[i + 1], framesPerSegment, mode, classes))
  const last = keys[keys.length - 1]

  if (options.pingPong) {
    // Back over the same frames, reversed: the last key turns once, then each earlier frame again.
    const back = forward.slice(1).reverse().map((v) => Float32Array.from(v))
    const path = [...forward, Float32Array.from(last), ...back]
    return options.loop ? path : [...path, Float32Array.from(keys[0])]
  }
  if (options.loop) return [...forward, ...segment(last, keys[0], framesPerSegment, mode, classes)]
  return [...forward, Float32Array.from(last)]
}
