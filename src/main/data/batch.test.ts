// fillImageBatch: exact [-1, 1] values, NHWC order, and a reused output buffer.

import { describe, expect, it } from 'vitest'
import { fillImageBatch, type PreparedDataset } from './index'

function dataset(count: number, size: number, channels: 1 | 3): PreparedDataset {
  const pixels = new Uint8Array(count * size * size * channels)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 256
  return { source: { kind: 'builtin', name: 'mnist' }, key: 'k', count, size, channels, pixels, labels: null, classes: null, skipped: [], files: [], fromCache: false }
}

describe('fillImageBatch', () => {
  it('maps u8 to u8 / 127.5 - 1 exactly, 0 -> -1 and 255 -> 1, in the order of the indices', () => {
    const data = dataset(5, 4, 3)
    const batch = fillImageBatch(data, [3, 0, 3])
    const image = 4 * 4 * 3
    expect(batch.length).toBe(3 * image)
    for (const [slot, index] of [[0, 3], [1, 0], [2, 3]]) {
      for (let i = 0; i < image; i++) {
        expect(batch[slot * image + i]).toBe(Math.fround(data.pixels[index * image + i] / 127.5 - 1))
      }
    }
    const extremes = fillImageBatch({ ...dataset(1, 1, 3), pixels: Uint8Array.from([0, 255, 51]) }, [0])
    expect(Array.from(extremes)).toEqual([-1, 1, Math.fround(-0.6)])
  })

  it('stays within [-1, 1] for every byte value', () => {
    const data = { ...dataset(1, 16, 1), pixels: Uint8Array.from({ length: 256 }, (_, v) => v) }
    const batch = fillImageBatch(data, [0])
    expect(Math.min(...batch)).toBe(-1)
    expect(Math.max(...batch)).toBe(1)
    for (let v = 1; v < 256; v++) expect(batch[v]).toBeGreaterThan(batch[v - 1])
  })

  it('writes into the buffer it is given and returns it', () => {
    const data = dataset(10, 2, 1)
    const out = new Float32Array(3 * 4)
    const first = fillImageBatch(data, Uint32Array.from([1, 2, 3]), out)
    expect(first).toBe(out)
    expect(out[0]).toBe(Math.fround(data.pixels[4] / 127.5 - 1))
    fillImageBatch(data, [9, 9, 9], out)
    expect(out[0]).toBe(Math.fround(data.pixels[36] / 127.5 - 1))
  })

  it('refuses a buffer of the wrong size and an index outside the data set', () => {
    const data = dataset(10, 2, 1)
    expect(() => fillImageBatch(data, [1, 2], new Float32Array(7))).toThrow(RangeError)
    expect(() => fillImageBatch(data, [10])).toThrow(/outside the data set/)
    expect(() => fillImageBatch(data, [-1])).toThrow(RangeError)
  })
})
