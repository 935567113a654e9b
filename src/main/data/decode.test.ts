// decodeImageBytes on real encoded images: cut-off files of every format count as truncated, garbage as corrupt.

import sharp, { type Sharp } from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeImageBytes } from './decode'
import { endsEarly } from './truncation'

const W = 64
const H = 48

function noise(): Buffer {
  const raw = Buffer.alloc(W * H * 3)
  let s = 99
  for (let i = 0; i < raw.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    raw[i] = s >>> 24
  }
  return raw
}

const encoders: Record<string, (image: Sharp) => Sharp> = {
  jpeg: (i) => i.jpeg(),
  'progressive jpeg': (i) => i.jpeg({ progressive: true }),
  png: (i) => i.png(),
  webp: (i) => i.webp(),
  'lossless webp': (i) => i.webp({ lossless: true }),
  gif: (i) => i.gif(),
  tiff: (i) => i.tiff(),
  'deflate tiff': (i) => i.tiff({ compression: 'deflate' }),
  avif: (i) => i.avif()
}

describe.each(Object.entries(encoders))('%s', (_, encode) => {
  it('decodes whole, and is "truncated" when cut at 90%, 50% or 10%', async () => {
    const bytes = await encode(sharp(noise(), { raw: { width: W, height: H, channels: 3 } })).toBuffer()
    const whole = await decodeImageBytes(bytes, 16)
    expect(whole.ok).toBe(true)
    if (whole.ok) expect(whole.rgb.length).toBe(16 * 16 * 3)
    expect(endsEarly(bytes)).toBe(false)
    for (const fraction of [0.9, 0.5, 0.1]) {
      const cut = await decodeImageBytes(bytes.subarray(0, Math.floor(bytes.length * fraction)), 16)
      expect(cut, `cut at ${fraction}`).toMatchObject({ ok: false, reason: 'truncated' })
    }
  })
})

describe('other failures', () => {
  it('calls garbage, text and a damaged middle "corrupt", with sharp\'s message as detail', async () => {
    const text = await decodeImageBytes(Buffer.from('hello, not an image'), 16)
    expect(text).toEqual({ ok: false, reason: 'corrupt', detail: expect.stringMatching(/^not a readable image \(sharp: .+\)$/) })
    const png = await sharp(noise(), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer()
    const damaged = Buffer.from(png)
    damaged.fill(0x55, 100, 400) // CRC and deflate stream broken, but the file still ends properly
    expect(await decodeImageBytes(damaged, 16)).toMatchObject({ ok: false, reason: 'corrupt' })
  })

  it('reads a grey PNG as grey and a colour one as colour', async () => {
    const grey = await sharp(Buffer.alloc(W * H, 77), { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toBuffer()
    expect(await decodeImageBytes(grey, 8)).toMatchObject({ ok: true, grayscale: true })
    const colour = await sharp(noise(), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer()
    expect(await decodeImageBytes(colour, 8)).toMatchObject({ ok: true, grayscale: false })
  })
})
