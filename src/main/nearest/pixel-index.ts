// Exact nearest training images by pixel L2, fast: a PCA projection of every training image gives a lower
// bound of its distance to a query (the distance in the projection, plus the difference of the two
// residual lengths, by the triangle inequality), and only images whose bound beats the k-th best exact
// distance so far get their exact distance computed. The bound allows for float32 rounding in the
// projection (a proven bound, not an estimate), so the answer is the brute-force answer.
import * as tf from '@tensorflow/tfjs'
import { Random } from '../../shared/random'
import type { TrainingImages } from '../data'
import { principalComponents } from '../linalg/pca'
import { orthonormalizeRows } from '../linalg/symmetric-eigen'
import { readTensor } from '../training/read'

export interface PixelIndex {
  /** The data set's key (same key, same pixels). */
  datasetKey: string
  count: number
  /** Values per image: S * S * channels. */
  dims: number
  /** Principal components kept. */
  components: number
  /** The mean image, as the projection used it. */
  mean: Float32Array
  /** components x dims, orthonormal rows. */
  basis: Float64Array
  /** count x components: each image's coordinates (float32, as computed). */
  coords: Float32Array
  /** Each image's distance from the mean, ||x - mean||. */
  norms: Float64Array
  /** Each image's residual length off the projection, as an interval that float32 rounding cannot leave. */
  residualLow: Float64Array
  residualHigh: Float64Array
}

export interface Neighbour {
  index: number
  /** Squared L2 distance on the 0-255 pixels. */
  squared: number
}

export interface SearchResult {
  neighbours: Neighbour[]
  /** Images whose exact distance was computed (the rest were ruled out by their bound). */
  checked: number
}

export interface BuildOptions {
  components?: number
  /** Images the PCA is computed from (a seeded sample); any basis gives exact answers, a good one fast ones. */
  sample?: number
  seed?: number
  /** Called with the share done, 0 to 1. */
  onProgress?: (done: number) => void
}

export const INDEX_COMPONENTS = 64
const PCA_SAMPLE = 2000
const CHUNK = 1024
/** float32's unit roundoff. */
const UNIT_ROUNDOFF = 2 ** -24

/**
 * Bound on |computed - exact| of one projected coordinate per unit of ||x - mean||: a float32 dot product of
 * `dims` terms (gamma_n with the two input roundings), Higham's bound for any summation order.
 */
function coordinateError(dims: number): number {
  const n = dims + 3
  return (n * UNIT_ROUNDOFF) / (1 - n * UNIT_ROUNDOFF)
}

export async function buildPixelIndex(data: TrainingImages & { key: string }, options: BuildOptions = {}): Promise<PixelIndex> {
  const dims = data.size * data.size * data.channels
  const components = Math.min(options.components ?? INDEX_COMPONENTS, dims, Math.max(1, data.count - 1))
  // The PCA basis from a sample of the images.
  const sampleCount = Math.min(data.count, options.sample ?? PCA_SAMPLE)
  const picked = new Random(options.seed ?? 1, 'nearest-index-sample').permutation(data.count).subarray(0, sampleCount)
  const sample = new Float32Array(sampleCount * dims)
  picked.forEach((image, i) => {
    for (let j = 0; j < dims; j++) sample[i * dims + j] = data.pixels[image * dims + j]
  })
  let basis: Float64Array
  let mean: Float32Array
  if (sampleCount >= 2) {
    const tensor = tf.tensor2d(sample, [sampleCount, dims])
    try {
      const pca = await principalComponents(tensor, components, { seed: options.seed ?? 1, iterations: 2 })
      basis = pca.components
      mean = Float32Array.from(pca.mean)
    } finally {
      tensor.dispose()
    }
  } else {
    basis = new Float64Array(components * dims)
    basis[0] = 1
    mean = Float32Array.from(sample)
  }
  // The float64 rows are orthonormal to ~1e-15; once more makes sure, as the bound assumes it.
  orthonormalizeRows(basis, components, dims)
  options.onProgress?.(0.2)

  const coords = new Float32Array(data.count * components)
  const norms = new Float64Array(data.count)
  // dims x components: TF.js's transposed-operand matMul is many times slower on wasm.
  const basisColumns = new Float32Array(dims * components)
  for (let c = 0; c < components; c++) for (let j = 0; j < dims; j++) basisColumns[j * components + c] = basis[c * dims + j]
  const basisTensor = tf.tensor2d(basisColumns, [dims, components])
  const meanTensor = tf.tensor1d(mean)
  try {
    const chunk = new Float32Array(CHUNK * dims)
    for (let start = 0; start < data.count; start += CHUNK) {
      const n = Math.min(CHUNK, data.count - start)
      for (let i = 0; i < n * dims; i++) chunk[i] = data.pixels[start * dims + i]
      const projected = tf.tidy(() => tf.matMul(tf.sub(tf.tensor2d(chunk.subarray(0, n * dims), [n, dims]), meanTensor), basisTensor))
      try {
        coords.set(await readTensor(projected), start * components)
      } finally {
        projected.dispose()
      }
      for (let i = 0; i < n; i++) norms[start + i] = distanceFromMean(data.pixels, (start + i) * dims, mean)
      options.onProgress?.(0.2 + (0.8 * (start + n)) / data.count)
    }
  } finally {
    basisTensor.dispose()
    meanTensor.dispose()
  }
  const index: PixelIndex = {
    datasetKey: data.key,
    count: data.count,
    dims,
    components,
    mean,
    basis,
    coords,
    norms,
    residualLow: new Float64Array(data.count),
    residualHigh: new Float64Array(data.count)
  }
  fillResiduals(index)
  return index
}

/** The residual intervals, from the coordinates and norms (also after loading an index from disk). */
export function fillResiduals(index: PixelIndex): void {
  const { count, components, coords, norms } = index
  for (let i = 0; i < count; i++) {
    let projected = 0
    for (let c = 0; c < components; c++) projected += coords[i * components + c] ** 2
    const [low, high] = residualInterval(norms[i], Math.sqrt(projected), projectionError(index, norms[i]))
    index.residualLow[i] = low
    index.residualHigh[i] = high
  }
}

/** How far a computed projection (its whole vector) can be from the exact one, for a point at this distance from the mean. */
function projectionError(index: PixelIndex, norm: number): number {
  return coordinateError(index.dims) * norm * Math.sqrt(index.components) + 1e-9
}

/** sqrt(norm^2 - projected^2) for every projected length within `error` of the computed one. */
function residualInterval(norm: number, projected: number, error: number): [number, number] {
  const longest = Math.min(norm, projected + error)
  const shortest = Math.max(0, projected - error)
  return [Math.sqrt(Math.max(0, norm * norm - longest * longest)), Math.sqrt(Math.max(0, norm * norm - shortest * shortest))]
}

function distanceFromMean(pixels: Uint8Array, offset: number, mean: Float32Array): number {
  let sum = 0
  for (let j = 0; j < mean.length; j++) {
    const d = pixels[offset + j] - mean[j]
    sum += d * d
  }
  return Math.sqrt(sum)
}

/** Squared L2 of two images' bytes; stops once past `limit` (the answer is then only known to exceed it). */
export function squaredDistance(pixels: Uint8Array, offset: number, query: Uint8Array, limit = Infinity): number {
  const dims = query.length
  let sum = 0
  for (let start = 0; start < dims; start += 512) {
    const end = Math.min(dims, start + 512)
    for (let j = start; j < end; j++) {
      const d = pixels[offset + j] - query[j]
      sum += d * d
    }
    if (sum > limit) return sum
  }
  return sum
}

export interface SearchOptions {
  /** Leaves one image out (a training image asked about itself). */
  exclude?: number
  /** Only images closer than this squared distance count: a far query is then answered fast, with none. */
  within?: number
}

/**
 * The k training images nearest to `query` (dims bytes, the data set's layout), nearest first, ties by
 * index.
 */
export function searchNearest(index: PixelIndex, pixels: Uint8Array, query: Uint8Array, k: number, options: SearchOptions = {}): SearchResult {
  const exclude = options.exclude ?? -1
  const within = options.within ?? Infinity
  const { count, components, dims, coords, basis, mean } = index
  if (query.length !== dims) throw new Error(`the image has ${query.length} values; the training images have ${dims}`)
  const want = Math.min(k, count - (exclude >= 0 && exclude < count ? 1 : 0))
  // The query's projection, exactly (float64) this time, so only the index side carries an error.
  const centered = new Float64Array(dims)
  let norm2 = 0
  for (let j = 0; j < dims; j++) {
    centered[j] = query[j] - mean[j]
    norm2 += centered[j] ** 2
  }
  const q = new Float64Array(components)
  let projected2 = 0
  for (let c = 0; c < components; c++) {
    let s = 0
    for (let j = 0; j < dims; j++) s += basis[c * dims + j] * centered[j]
    q[c] = s
    projected2 += s * s
  }
  const norm = Math.sqrt(norm2)
  const residual = Math.sqrt(Math.max(0, norm2 - projected2))

  // Lower bounds of every image's distance.
  const bounds = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    let p = 0
    for (let c = 0; c < components; c++) {
      const d = q[c] - coords[i * components + c]
      p += d * d
    }
    const projected = Math.max(0, Math.sqrt(p) - projectionError(index, index.norms[i]))
    const gap = Math.max(0, residual - index.residualHigh[i], index.residualLow[i] - residual)
    bounds[i] = (projected * projected + gap * gap) * (1 - 1e-12)
  }
  if (want <= 0) return { neighbours: [], checked: 0 }

  const best: Neighbour[] = []
  const kth = () => (best.length < want ? within : Math.min(within, best[best.length - 1].squared))
  let checked = 0
  const consider = (i: number) => {
    if (i === exclude) return
    checked++
    const limit = kth()
    const squared = squaredDistance(pixels, i * dims, query, limit)
    if (squared >= within || squared > limit || (squared === limit && best.length === want && i > best[best.length - 1].index)) return
    let at = best.length
    while (at > 0 && (best[at - 1].squared > squared || (best[at - 1].squared === squared && best[at - 1].index > i))) at--
    best.splice(at, 0, { index: i, squared })
    if (best.length > want) best.pop()
  }
  // First the images with the smallest bounds, for a good k-th distance early; then every image whose bound
  // does not rule it out.
  const first = smallestIndices(bounds, Math.min(count, Math.max(4 * want, 32)))
  for (const i of first) if (bounds[i] <= kth()) consider(i)
  const seen = new Uint8Array(count)
  for (const i of first) seen[i] = 1
  for (let i = 0; i < count; i++) if (!seen[i] && bounds[i] <= kth()) consider(i)
  return { neighbours: best, checked }
}

/** The indices of the m smallest values (in no particular order), by a partial quickselect. */
function smallestIndices(values: Float64Array, m: number): Uint32Array {
  const order = new Uint32Array(values.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  let low = 0
  let high = order.length - 1
  while (low < high) {
    const pivot = values[order[(low + high) >>> 1]]
    let i = low
    let j = high
    while (i <= j) {
      while (values[order[i]] < pivot) i++
      while (values[order[j]] > pivot) j--
      if (i <= j) {
        const t = order[i]
        order[i] = order[j]
        order[j] = t
        i++
        j--
      }
    }
    if (m - 1 <= j) high = j
    else if (m - 1 >= i) low = i
    else break
  }
  return order.subarray(0, m)
}
