import { describe, expect, it } from 'vitest'
import { interpolationFrames, keyframePath, lerp, slerp } from './latent'
import { Random } from './random'

function norm(v: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i] * v[i]
  return Math.sqrt(s)
}

function unit(v: Float32Array): Float32Array {
  const n = norm(v)
  return v.map((x) => x / n)
}

function angle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i]
  return Math.acos(Math.min(1, Math.max(-1, dot / (norm(a) * norm(b)))))
}

const random = new Random(42, 'latent-test')
const a = random.normalArray(100)
const b = random.normalArray(100)

describe('lerp', () => {
  it('gives the midpoint at t = 0.5 and the endpoints exactly', () => {
    const mid = lerp([0, 2, -4], [2, 4, 4], 0.5)
    expect(Array.from(mid)).toEqual([1, 3, 0])
    expect(lerp(a, b, 0)).toEqual(a)
    expect(lerp(a, b, 1)).toEqual(b)
    expect(lerp(a, b, 0)).not.toBe(a)
  })

  it('accepts plain arrays and returns float32 values', () => {
    const out = lerp([0.1, 0.2], [0.3, 0.4], 0.25)
    expect(out).toBeInstanceOf(Float32Array)
    expect(out[0]).toBeCloseTo(0.15, 6)
  })
})

describe('slerp', () => {
  it('keeps unit-norm vectors on the unit sphere all the way', () => {
    const ua = unit(a)
    const ub = unit(b)
    for (const t of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      expect(Math.abs(norm(slerp(ua, ub, t)) - 1)).toBeLessThan(1e-6)
      // lerp cuts the corner: its midpoint is visibly shorter, which is why slerp exists.
      if (t === 0.5) expect(norm(lerp(ua, ub, t))).toBeLessThan(0.8)
    }
  })

  it('moves at a constant angular speed along the great circle between vectors of equal norm', () => {
    const ua = unit(a)
    const ub = unit(b)
    const total = angle(ua, ub)
    for (const t of [0.2, 0.5, 0.8]) {
      const v = slerp(ua, ub, t)
      expect(angle(ua, v)).toBeCloseTo(t * total, 5)
      expect(angle(v, ub)).toBeCloseTo((1 - t) * total, 5)
    }
  })

  it('returns the endpoints bit for bit', () => {
    expect(slerp(a, b, 0)).toEqual(a)
    expect(slerp(a, b, 1)).toEqual(b)
  })

  it('falls back to lerp for parallel, anti-parallel and zero vectors', () => {
    const v = Float32Array.from([1, 2, 3])
    const twice = v.map((x) => 2 * x)
    const opposite = v.map((x) => -x)
    const zero = new Float32Array(3)
    for (const other of [twice, opposite, zero]) {
      const s = slerp(v, other, 0.3)
      expect(s.every(Number.isFinite)).toBe(true)
      expect(Array.from(s)).toEqual(Array.from(lerp(v, other, 0.3)))
    }
  })

  it('rejects vectors of different lengths with a message naming both', () => {
    expect(() => slerp([1, 2, 3], [1, 2], 0.5)).toThrow(/same length.*3 and 2/)
    expect(() => lerp([1, 2, 3], [1, 2], 0.5)).toThrow(/same length.*3 and 2/)
    expect(() => slerp([], [], 0.5)).toThrow(/empty/)
    expect(() => slerp([1], [2], Number.NaN)).toThrow(/finite/)
  })
})

describe('interpolationFrames', () => {
  it('includes both endpoints and spaces the rest evenly', () => {
    const frames = interpolationFrames([0, 0], [4, 8], 5, 'linear')
    expect(frames.map((f) => Array.from(f))).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8]
    ])
    const spherical = interpolationFrames(a, b, 7, 'spherical')
    expect(spherical).toHaveLength(7)
    expect(spherical[0]).toEqual(a)
    expect(spherical[6]).toEqual(b)
    const onSphere = interpolationFrames(unit(a), unit(b), 7, 'spherical')
    expect(angle(onSphere[3], a)).toBeCloseTo(angle(a, b) / 2, 5)
  })

  it('handles 1 and 2 frames', () => {
    expect(interpolationFrames(a, b, 1, 'spherical')).toEqual([a])
    expect(interpolationFrames(a, b, 2, 'spherical')).toEqual([a, b])
  })

  it('rejects a count that is not a whole number of at least 1, and unknown modes', () => {
    expect(() => interpolationFrames(a, b, 0, 'linear')).toThrow(/at least 1, got 0/)
    expect(() => interpolationFrames(a, b, 2.5, 'linear')).toThrow(/whole number/)
    expect(() => interpolationFrames(a, b, 3, 'cubic' as never)).toThrow(/'linear' or 'spherical'/)
  })
})

describe('keyframePath', () => {
  const keys = [[0], [10], [20], [30]]
  const values = (path: Float32Array[]) => path.map((v) => v[0])

  it('runs from the first key to the last one without repeating keys', () => {
    const path = keyframePath(keys, 2, 'linear', { loop: false, pingPong: false })
    expect(values(path)).toEqual([0, 5, 10, 15, 20, 25, 30])
  })

  it('loops through a closing segment and stops one frame before the first key', () => {
    const path = keyframePath(keys, 2, 'linear', { loop: true, pingPong: false })
    expect(values(path)).toEqual([0, 5, 10, 15, 20, 25, 30, 15])
    expect(path).toHaveLength(keys.length * 2)
  })

  it('ping-pongs without repeating the turning frames', () => {
    const once = keyframePath(keys, 2, 'linear', { loop: false, pingPong: true })
    expect(values(once)).toEqual([0, 5, 10, 15, 20, 25, 30, 25, 20, 15, 10, 5, 0])
    const cycle = keyframePath(keys, 2, 'linear', { loop: true, pingPong: true })
    expect(values(cycle)).toEqual([0, 5, 10, 15, 20, 25, 30, 25, 20, 15, 10, 5])
    // Repeating the cycle never shows a turning frame twice in a row.
    const twice = values([...cycle, ...cycle])
    expect(twice.some((v, i) => i > 0 && v === twice[i - 1])).toBe(false)
  })

  it('has the documented frame counts for k keys and f frames per segment', () => {
    const k = 5
    const many = Array.from({ length: k }, () => random.normalArray(16))
    for (const f of [1, 3, 8]) {
      expect(keyframePath(many, f, 'spherical', { loop: false, pingPong: false })).toHaveLength((k - 1) * f + 1)
      expect(keyframePath(many, f, 'spherical', { loop: true, pingPong: false })).toHaveLength(k * f)
      expect(keyframePath(many, f, 'spherical', { loop: false, pingPong: true })).toHaveLength(2 * (k - 1) * f + 1)
      expect(keyframePath(many, f, 'spherical', { loop: true, pingPong: true })).toHaveLength(2 * (k - 1) * f)
    }
  })

  it('passes through every key exactly, in spherical mode too', () => {
    const many = Array.from({ length: 3 }, () => random.normalArray(32))
    const path = keyframePath(many, 4, 'spherical', { loop: false, pingPong: false })
    expect(path[0]).toEqual(many[0])
    expect(path[4]).toEqual(many[1])
    expect(path[8]).toEqual(many[2])
    // Every frame is its own array: editing one does not change a key or another frame.
    path[0][0] = 99
    expect(many[0][0]).not.toBe(99)
  })

  it('works with two keys and one frame per segment', () => {
    const two = [[1], [2]]
    expect(values(keyframePath(two, 1, 'linear', { loop: false, pingPong: false }))).toEqual([1, 2])
    expect(values(keyframePath(two, 1, 'linear', { loop: true, pingPong: false }))).toEqual([1, 2])
    expect(values(keyframePath(two, 1, 'linear', { loop: false, pingPong: true }))).toEqual([1, 2, 1])
    expect(values(keyframePath(two, 1, 'linear', { loop: true, pingPong: true }))).toEqual([1, 2])
  })

  it('rejects too few keys, keys of different lengths and bad frame counts', () => {
    const options = { loop: false, pingPong: false }
    expect(() => keyframePath([[1]], 2, 'linear', options)).toThrow(/at least 2 keyframes, got 1/)
    expect(() => keyframePath([[1, 2], [1, 2], [3]], 2, 'linear', options)).toThrow(/keyframe 2 has 1/)
    expect(() => keyframePath(keys, 0, 'linear', options)).toThrow(/frames per segment/)
    expect(() => keyframePath(keys, 2, 'nope' as never, options)).toThrow(/'linear' or 'spherical'/)
  })
})
