// The hot core of the sliced Wasserstein distance: project descriptors on directions, sort, compare sorted lists.

/**
 * Projects `count` descriptors (rows of `values`, `dimension` wide) on `directions` (rows, same width) and sorts
 * each direction's projections ascending. Returns them direction-major: direction p's sorted list is
 * [p * count, (p + 1) * count).
 */
export function sortedProjections(
  values: Float32Array,
  count: number,
  dimension: number,
  directions: Float32Array,
  directionCount: number
): Float32Array {
  const out = new Float32Array(directionCount * count)
  project(values, count, dimension, directions, directionCount, out)
  const scratch = new Uint32Array(count)
  for (let p = 0; p < directionCount; p++) radixSortFloat32(out.subarray(p * count, (p + 1) * count), scratch)
  return out
}

/**
 * Sorts finite floats ascending in place (as Float32Array.prototype.sort would): an LSD radix sort on the bits,
 * 11 + 11 + 10 bits in three passes. About 4x faster than the native sort at 8k-64k values, which is what
 * makes the sort no longer dominate the distance. `scratch` holds at least values.length entries.
 */
export function radixSortFloat32(values: Float32Array, scratch: Uint32Array): void {
  const n = values.length
  const keys = new Uint32Array(values.buffer, values.byteOffset, n)
  const low = new Uint32Array(2048)
  const middle = new Uint32Array(2048)
  const high = new Uint32Array(1024)
  // Map each float's bits to an unsigned key in the same order: negatives flip all bits, positives the sign bit.
  for (let i = 0; i < n; i++) {
    const bits = keys[i]
    const key = (bits & 0x80000000) !== 0 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0
    keys[i] = key
    low[key & 2047]++
    middle[(key >>> 11) & 2047]++
    high[key >>> 22]++
  }
  toBucketStarts(low)
  toBucketStarts(middle)
  toBucketStarts(high)
  for (let i = 0; i < n; i++) {
    const key = keys[i]
    scratch[low[key & 2047]++] = key
  }
  for (let i = 0; i < n; i++) {
    const key = scratch[i]
    keys[middle[(key >>> 11) & 2047]++] = key
  }
  for (let i = 0; i < n; i++) {
    const key = keys[i]
    scratch[high[key >>> 22]++] = key
  }
  for (let i = 0; i < n; i++) {
    const key = scratch[i]
    keys[i] = (key & 0x80000000) !== 0 ? key & 0x7fffffff : ~key >>> 0
  }
}

/** Bucket counts -> the index where each bucket starts (exclusive prefix sum), in place. */
function toBucketStarts(counts: Uint32Array): void {
  let sum = 0
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]
    counts[i] = sum
    sum += c
  }
}

/**
 * out[p * count + i] = <values row i, directions row p>. Tiles of 2 descriptors x 4 directions: each loaded
 * value feeds 4 (or 2) multiply-adds, which is what bounds a scalar JS loop.
 */
function project(
  values: Float32Array,
  count: number,
  dimension: number,
  directions: Float32Array,
  directionCount: number,
  out: Float32Array
): void {
  let i = 0
  for (; i + 2 <= count; i += 2) {
    const r0 = i * dimension
    const r1 = r0 + dimension
    let p = 0
    for (; p + 4 <= directionCount; p += 4) {
      const d0 = p * dimension
      const d1 = d0 + dimension
      const d2 = d1 + dimension
      const d3 = d2 + dimension
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0 // prettier-ignore
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0 // prettier-ignore
      for (let k = 0; k < dimension; k++) {
        const a0 = values[r0 + k]
        const a1 = values[r1 + k]
        const w0 = directions[d0 + k]
        const w1 = directions[d1 + k]
        const w2 = directions[d2 + k]
        const w3 = directions[d3 + k]
        s00 += a0 * w0
        s01 += a0 * w1
        s02 += a0 * w2
        s03 += a0 * w3
        s10 += a1 * w0
        s11 += a1 * w1
        s12 += a1 * w2
        s13 += a1 * w3
      }
      out[p * count + i] = s00
      out[(p + 1) * count + i] = s01
      out[(p + 2) * count + i] = s02
      out[(p + 3) * count + i] = s03
      out[p * count + i + 1] = s10
      out[(p + 1) * count + i + 1] = s11
      out[(p + 2) * count + i + 1] = s12
      out[(p + 3) * count + i + 1] = s13
    }
    for (; p < directionCount; p++) {
      out[p * count + i] = dot(values, r0, directions, p * dimension, dimension)
      out[p * count + i + 1] = dot(values, r1, directions, p * dimension, dimension)
    }
  }
  for (; i < count; i++) {
    for (let p = 0; p < directionCount; p++) {
      out[p * count + i] = dot(values, i * dimension, directions, p * dimension, dimension)
    }
  }
}

function dot(a: Float32Array, aStart: number, b: Float32Array, bStart: number, length: number): number {
  let sum = 0
  for (let k = 0; k < length; k++) sum += a[aStart + k] * b[bStart + k]
  return sum
}

/**
 * The 1-D Wasserstein-1 distance between two samples given sorted: the area between their quantile functions.
 * Equal sizes (the usual case) reduce to the mean absolute difference of the sorted lists, as in ProGAN;
 * unequal sizes walk both step functions together.
 */
export function wassersteinOfSorted(a: Float32Array, b: Float32Array): number {
  const n = a.length
  const m = b.length
  if (n === m) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += Math.abs(a[i] - b[i])
    return sum / n
  }
  // Quantile breakpoints of a at (i+1)/n and of b at (j+1)/m, in units of 1/(n*m) to stay in integers.
  let sum = 0
  let i = 0
  let j = 0
  let at = 0
  while (i < n && j < m) {
    const endA = (i + 1) * m
    const endB = (j + 1) * n
    const end = Math.min(endA, endB)
    sum += (end - at) * Math.abs(a[i] - b[j])
    at = end
    if (endA === end) i++
    if (endB === end) j++
  }
  return sum / (n * m)
}
