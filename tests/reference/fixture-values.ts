// The inputs of bench/pytorch/reference_checks.py, recomputed here value for value (its fixture_values):
// murmur3's 32-bit finalizer over (i + seed * golden ratio), scaled to [offset - scale, offset + scale).
// The fixtures then hold only expected values, never inputs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

export function fixtureValues(seed: number, count: number, scale: number, offset = 0): Float32Array {
  const base = Math.imul(seed, 0x9e3779b9) >>> 0
  return Float32Array.from({ length: count }, (_, i) => offset + scale * ((2 * fmix32((i + base) >>> 0)) / 4294967296 - 1))
}

/** A tensor as the fixtures store it: every value, or (large ones) every stride-th value and the norm. */
export type Encoded = number[] | { stride: number; sample: number[]; norm: number; length: number }

const FIXTURES = join(__dirname, '..', '..', 'bench', 'pytorch', 'fixtures')

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as T
}

/**
 * |actual - expected| / |expected| over a whole tensor (on the stored sample, and the norms, for large
 * ones). Not element by element: Adam and RMSprop divide each gradient by its own running size, so an
 * element whose gradient is float noise moves by a noisy fraction of a learning rate in any two
 * implementations, while the tensor as a whole agrees to 1e-6.
 */
export function tensorError(actual: ArrayLike<number>, expected: Encoded): number {
  if (Array.isArray(expected)) {
    if (actual.length !== expected.length) return Infinity
    return relativeDistance(actual, expected)
  }
  if (actual.length !== expected.length) return Infinity
  const sample = Array.from({ length: expected.sample.length }, (_, i) => actual[i * expected.stride])
  let norm = 0
  for (let i = 0; i < actual.length; i++) norm += actual[i] ** 2
  return Math.max(relativeDistance(sample, expected.sample), Math.abs(Math.sqrt(norm) - expected.norm) / expected.norm)
}

function relativeDistance(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let difference = 0
  let size = 0
  for (let i = 0; i < expected.length; i++) {
    difference += (actual[i] - expected[i]) ** 2
    size += expected[i] ** 2
  }
  return Math.sqrt(difference / Math.max(size, 1e-30))
}

/** A figure's difference relative to its size (figures near zero: relative to 1e-2). */
export function figureError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-2)
}
