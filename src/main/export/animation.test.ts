import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { composeGrid, toByte } from '../../shared/grid'
import { animatedGif, gifFrameDelayMs, interpolationStripPng } from './animation'

/**
 * `count` frames in which frame i is a left-to-right ramp offset by i, in few enough distinct colours that
 * the GIF palette holds them all exactly.
 */
function rampFrames(count: number, size: number, channels: 1 | 3): Float32Array {
  const frames = new Float32Array(count * size * size * channels)
  for (let i = 0; i < count; i++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          const level = ((x + i) % 4) / 4 + c * 0.1 + (y < size / 2 ? 0 : 0.05)
          frames[((i * size + y) * size + x) * channels + c] = level * 2 - 1
        }
      }
    }
  }
  return frames
}

async function decodeFrames(gif: Buffer) {
  const { data, info } = await sharp(gif, { animated: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data: new Uint8Array(data), info }
}

describe('animatedGif', () => {
  it('writes one frame per image, in order, scaled, with the delay and loop asked for', async () => {
    const [count, size, scale] = [5, 8, 3]
    const frames = rampFrames(count, size, 3)
    const gif = await animatedGif(frames, count, size, 3, { fps: 10, scale, loop: true })
    const meta = await sharp(gif, { animated: true }).metadata()
    expect(meta.format).toBe('gif')
    expect(meta.pages).toBe(count)
    expect(meta.width).toBe(size * scale)
    expect(meta.pageHeight).toBe(size * scale)
    expect(meta.delay).toEqual(new Array(count).fill(100))
    expect(meta.loop).toBe(0)

    // The pixels: exactly what a one-column grid of the frames gives, frame after frame.
    const expected = composeGrid(frames, count, size, 3, { perRow: 1, padding: 0, scale })
    const { data, info } = await decodeFrames(gif)
    expect([info.width, info.height, info.channels]).toEqual([expected.width, expected.height, 3])
    expect(data).toEqual(expected.rgb)
  })

  it('plays once when not looping', async () => {
    const gif = await animatedGif(rampFrames(3, 4, 1), 3, 4, 1, { fps: 25, loop: false })
    const meta = await sharp(gif, { animated: true }).metadata()
    expect(meta.pages).toBe(3)
    expect(meta.delay).toEqual([40, 40, 40])
    // No NETSCAPE2.0 application block means "play once" to every GIF reader.
    expect(gif.includes('NETSCAPE2.0')).toBe(false)
    expect(meta.loop).toBe(1)
    const looping = await animatedGif(rampFrames(3, 4, 1), 3, 4, 1, { fps: 25, loop: true })
    expect(looping.includes('NETSCAPE2.0')).toBe(true)
  })

  it('keeps identical frames, which carry the timing of a pause', async () => {
    const one = rampFrames(1, 6, 1)
    const still = new Float32Array(4 * one.length)
    for (let i = 0; i < 4; i++) still.set(one, i * one.length)
    const meta = await sharp(await animatedGif(still, 4, 6, 1, { fps: 5, loop: true }), { animated: true }).metadata()
    expect(meta.pages).toBe(4)
    expect(meta.delay).toEqual([200, 200, 200, 200])
  })

  it('keeps grayscale values exact', async () => {
    const frames = rampFrames(2, 4, 1)
    const { data } = await decodeFrames(await animatedGif(frames, 2, 4, 1, { fps: 10, loop: true }))
    for (let i = 0; i < frames.length; i++) {
      expect(data[i * 3]).toBe(toByte(frames[i]))
      expect(data[i * 3 + 2]).toBe(toByte(frames[i]))
    }
  })

  it('rounds the frame delay to the hundredths of a second a GIF can store', () => {
    expect(gifFrameDelayMs(24)).toBe(40)
    expect(gifFrameDelayMs(30)).toBe(30)
    expect(gifFrameDelayMs(50)).toBe(20)
    expect(gifFrameDelayMs(0.5)).toBe(2000)
  })

  it('rejects frame rates a GIF cannot play and frames that do not fit the count', async () => {
    const frames = rampFrames(2, 4, 1)
    await expect(animatedGif(frames, 2, 4, 1, { fps: 60, loop: true })).rejects.toThrow(/between 0.1 and 50.*got 60/)
    await expect(animatedGif(frames, 2, 4, 1, { fps: 0, loop: true })).rejects.toThrow(/frames per second/)
    await expect(animatedGif(frames, 3, 4, 1, { fps: 10, loop: true })).rejects.toThrow(/expected 3 frames of 4x4x1/)
    await expect(animatedGif(frames, 2, 4, 1, { fps: 10, loop: true, scale: 9 })).rejects.toThrow(/scale/)
  })
})

describe('interpolationStripPng', () => {
  it('lays the frames out in one row with make_grid padding and scale', async () => {
    const [count, size] = [7, 8]
    const frames = rampFrames(count, size, 3)
    const png = await interpolationStripPng(frames, count, size, 3, { padding: 2, padColor: [255, 0, 128], scale: 2 })
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    // make_grid(nrow = count, padding = 2): (count * (size + 2) + 2) wide, size + 4 high, then scaled.
    expect(info.width).toBe((count * (size + 2) + 2) * 2)
    expect(info.height).toBe((size + 2 * 2) * 2)
    expect(Array.from(data.subarray(0, 3))).toEqual([255, 0, 128])
    // The last frame's top-left pixel sits after six frames and seven paddings.
    const x = ((count - 1) * (size + 2) + 2) * 2
    const y = 2 * 2
    const at = (y * info.width + x) * info.channels
    expect(Array.from(data.subarray(at, at + 3))).toEqual([0, 1, 2].map((c) => toByte(frames[(count - 1) * size * size * 3 + c])))
  })

  it('defaults to two pixels of black padding and no scaling', async () => {
    const png = await interpolationStripPng(rampFrames(3, 4, 1), 3, 4, 1)
    const meta = await sharp(png).metadata()
    expect([meta.width, meta.height]).toEqual([3 * 6 + 2, 8])
  })
})
