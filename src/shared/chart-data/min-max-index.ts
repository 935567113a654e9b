// A block index of where the minimum and maximum of a growing column are, for fast range queries.

const LEAF_BITS = 4
export const LEAF = 1 << LEAF_BITS

/** Blocks of one size: where each block's min and max are, and their values (-1 and ±Infinity: none finite). */
interface Level {
  minAt: Int32Array
  maxAt: Int32Array
  min: Float64Array
  max: Float64Array
  count: number
}

/**
 * Where the minimum and the maximum of a growing column are, for every aligned block of 16, 32, 64, ...
 * points: the min and max of any index range then take O(log n + 32) steps instead of one per point,
 * which is what keeps re-decimating a million points cheap on every append and zoom. Indices, so a
 * decimated point keeps its x; values alongside, so a query reads the small block arrays rather than
 * jumping around the column. NaN and infinite values are never a min or max; ties go to the earliest
 * point, as a plain scan would. Appending updates it in O(appended); about 5 bytes per point.
 */
export class MinMaxIndex {
  private levels: Level[] = []
  private source: unknown = null
  private covered = 0

  /** Catches up with `values` (first `length` points); another `source` (default: the array) starts over. */
  sync(values: ArrayLike<number>, length = values.length, source: unknown = values): void {
    if (source !== this.source || length < this.covered) {
      this.reset()
      this.source = source
    }
    const leaves = length >> LEAF_BITS
    if (leaves <= (this.levels[0]?.count ?? 0)) return
    const bottom = this.level(0, leaves)
    for (let b = bottom.count; b < leaves; b++) {
      let lo = -1
      let hi = -1
      let loValue = Infinity
      let hiValue = -Infinity
      for (let i = b << LEAF_BITS, end = (b + 1) << LEAF_BITS; i < end; i++) {
        const v = values[i]
        if (v < loValue && v > -Infinity) {
          loValue = v
          lo = i
        }
        if (v > hiValue && v < Infinity) {
          hiValue = v
          hi = i
        }
      }
      bottom.minAt[b] = lo
      bottom.maxAt[b] = hi
      bottom.min[b] = loValue
      bottom.max[b] = hiValue
    }
    bottom.count = leaves
    this.covered = leaves << LEAF_BITS
    // Each level holds the winners of complete pairs of the level below (the left one on a tie).
    for (let l = 1; this.levels[l - 1].count >= 2; l++) {
      const below = this.levels[l - 1]
      const want = below.count >> 1
      const level = this.level(l, want)
      for (let b = level.count; b < want; b++) {
        const left = 2 * b
        const right = left + 1
        const minFrom = below.min[right] < below.min[left] ? right : left
        const maxFrom = below.max[right] > below.max[left] ? right : left
        level.minAt[b] = below.minAt[minFrom]
        level.min[b] = below.min[minFrom]
        level.maxAt[b] = below.maxAt[maxFrom]
        level.max[b] = below.max[maxFrom]
      }
      level.count = want
    }
  }

  reset(): void {
    this.levels = []
    this.source = null
    this.covered = 0
  }

  /** Writes to out[0] and out[1] the indices of the min and the max of values[start, end) (-1: none finite). */
  query(values: ArrayLike<number>, start: number, end: number, out: Int32Array): void {
    const levels = this.levels
    let lo = -1
    let hi = -1
    let loValue = Infinity
    let hiValue = -Infinity
    // Complete leaf blocks inside the range; the points before and after them are scanned one by one.
    let first = (start + LEAF - 1) >> LEAF_BITS
    let last = Math.min(end >> LEAF_BITS, levels.length > 0 ? levels[0].count : 0)
    if (first >= last) first = last = end >> LEAF_BITS // no whole block: scan everything
    const headEnd = first < last ? first << LEAF_BITS : end
    const tailStart = first < last ? last << LEAF_BITS : end
    for (let part = 0; part < 2; part++) {
      for (let i = part === 0 ? start : tailStart, to = part === 0 ? headEnd : end; i < to; i++) {
        const v = values[i]
        // Blocks are visited out of order: on a tie the earlier index wins, as in a plain scan.
        if (v > -Infinity && v < Infinity) {
          if (v < loValue || (v === loValue && i < lo)) {
            loValue = v
            lo = i
          }
          if (v > hiValue || (v === hiValue && i < hi)) {
            hiValue = v
            hi = i
          }
        }
      }
    }
    // Bottom-up over the block levels: an odd block at either end is taken whole, the rest moves up.
    for (let l = 0; first < last; l++) {
      const level = levels[l]
      for (let side = 0; side < 2; side++) {
        let b: number
        if (side === 0) {
          if ((first & 1) === 0) continue
          b = first++
        } else {
          if ((last & 1) === 0) continue
          b = --last
        }
        const at = level.minAt[b]
        const min = level.min[b]
        if (at >= 0 && (min < loValue || (min === loValue && at < lo))) {
          loValue = min
          lo = at
        }
        const atMax = level.maxAt[b]
        const max = level.max[b]
        if (atMax >= 0 && (max > hiValue || (max === hiValue && atMax < hi))) {
          hiValue = max
          hi = atMax
        }
      }
      first >>= 1
      last >>= 1
    }
    out[0] = lo
    out[1] = hi
  }

  // Level l, with room for `blocks` blocks.
  private level(l: number, blocks: number): Level {
    if (l === this.levels.length) {
      // Powers of two, so that live appends after a bulk load do not reallocate right away.
      let size = 64
      while (size < blocks) size *= 2
      this.levels.push({ minAt: new Int32Array(size), maxAt: new Int32Array(size), min: new Float64Array(size), max: new Float64Array(size), count: 0 })
    }
    const level = this.levels[l]
    if (blocks > level.minAt.length) {
      let capacity = level.minAt.length * 2
      while (capacity < blocks) capacity *= 2
      const grow = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
        to.set(from.subarray(0, level.count))
        return to
      }
      level.minAt = grow(level.minAt, new Int32Array(capacity))
      level.maxAt = grow(level.maxAt, new Int32Array(capacity))
      level.min = grow(level.min, new Float64Array(capacity))
      level.max = grow(level.max, new Float64Array(capacity))
    }
    return level
  }
}
