// TensorBoard's scalar smoothing: the debiased EMA one value at a time and over a whole series.

/** TensorBoard's slider stops at 0.999: at 1 the average would never move. */
export const MAX_SMOOTHING = 0.999

/** A usable smoothing weight: NaN becomes 0, anything else is clamped to [0, MAX_SMOOTHING]. */
export function clampSmoothing(weight: number): number {
  if (!(weight > 0)) return 0
  return Math.min(weight, MAX_SMOOTHING)
}

/**
 * TensorBoard's scalar smoothing, one value at a time: a debiased exponential moving average
 * (`last = last * w + (1 - w) * value`, shown as `last / (1 - w^n)`, n = finite values seen so far).
 * A NaN or infinite value is passed through as is and leaves the average untouched, as TensorBoard does.
 */
export class EmaSmoother {
  readonly weight: number
  private last = 0
  private accumulated = 0
  // 1 - w^n rounds to exactly 1 once w^n < 2^-54; from then on Math.pow can be skipped (same result).
  private debiasDone = false

  constructor(weight: number) {
    this.weight = clampSmoothing(weight)
  }

  next(value: number): number {
    if (!Number.isFinite(value)) return value
    const w = this.weight
    this.last = this.last * w + (1 - w) * value
    this.accumulated++
    if (this.debiasDone) return this.last
    const debias = 1 - Math.pow(w, this.accumulated)
    if (debias === 1) this.debiasDone = true
    return this.last / debias
  }

  /** next() over values[from, to) into out[at...]: the same numbers, in one tight loop. */
  fill(values: ArrayLike<number>, from: number, to: number, out: Float64Array, at: number): void {
    const w = this.weight
    let last = this.last
    let accumulated = this.accumulated
    let debiasDone = this.debiasDone
    for (let i = from; i < to; i++, at++) {
      const value = values[i]
      if (!(value > -Infinity && value < Infinity)) {
        out[at] = value
        continue
      }
      last = last * w + (1 - w) * value
      accumulated++
      if (debiasDone) {
        out[at] = last
      } else {
        const debias = 1 - Math.pow(w, accumulated)
        if (debias === 1) debiasDone = true
        out[at] = last / debias
      }
    }
    this.last = last
    this.accumulated = accumulated
    this.debiasDone = debiasDone
  }
}

/**
 * A whole series smoothed exactly as TensorBoard's chart does, including its one special case: a series
 * whose values all equal the first is shown as is (so that rounding noise does not draw a wobbly flat line).
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length)
  if (isConstant(values, values.length)) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]
    return out
  }
  const smoother = new EmaSmoother(weight)
  for (let i = 0; i < values.length; i++) out[i] = smoother.next(values[i])
  return out
}

// TensorBoard's test (`every(y == first)`): a leading NaN makes a series non-constant.
function isConstant(values: ArrayLike<number>, length: number): boolean {
  for (let i = 0; i < length; i++) if (!(values[i] == values[0])) return false
  return true
}
