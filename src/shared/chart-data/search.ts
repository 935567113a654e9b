// Binary searches over a sorted x column.

/** First index in [lo, hi) whose x is >= value (hi when none); x must be sorted ascending. */
export function lowerBound(x: ArrayLike<number>, value: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index in [lo, hi) whose x is > value (hi when none); x must be sorted ascending. */
export function upperBound(x: ArrayLike<number>, value: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x[mid] <= value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the point whose x is closest to value among the first `length` (-1 when there are none). */
export function nearestIndex(x: ArrayLike<number>, value: number, length = x.length): number {
  if (length <= 0) return -1
  const i = lowerBound(x, value, 0, length)
  if (i === 0) return 0
  if (i === length) return length - 1
  return value - x[i - 1] <= x[i] - value ? i - 1 : i
}
