// One image file -> S x S RGB pixels with sharp, or the reason it cannot be used.
//
// Geometry follows torchvision's Resize(S) + CenterCrop(S): scale so the short side is S, keep the centre.
// Resampling is sharp's default lanczos3 (sharper than torchvision's antialiased bilinear; with JPEG and WebP
// sharp also shrinks on load, which is what makes large photos cheap). Transparency is flattened onto white
// (how the image looks in a viewer), EXIF orientation is applied, GIFs give their first frame, TIFFs their first
// page, 16-bit images are reduced to 8 bits.

import { promises as fs } from 'node:fs'
import sharp from 'sharp'
import { endsEarly } from './truncation'
import type { SkipReason } from './types'

export type DecodeResult =
  | { ok: true; rgb: Buffer; grayscale: boolean }
  | { ok: false; reason: SkipReason; detail: string }

export async function decodeImageFile(absPath: string, size: number): Promise<DecodeResult> {
  let bytes: Buffer
  try {
    bytes = await fs.readFile(absPath)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { ok: false, reason: 'unreadable', detail: `cannot read the file: ${code ?? String(error)}` }
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty', detail: 'the file is 0 bytes' }
  return decodeImageBytes(bytes, size)
}

export async function decodeImageBytes(bytes: Buffer, size: number): Promise<DecodeResult> {
  try {
    // failOn 'error': truncated or broken pixel data aborts (with 'none' a cut-off JPEG decodes to a half-grey
    // picture), while mere warnings such as extraneous bytes in a JPEG do not, as with PIL.
    const { data, info } = await sharp(bytes, { failOn: 'error' })
      .autoOrient()
      .resize(size, size, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3 || info.width !== size || info.height !== size) {
      const shape = `${info.width}x${info.height}x${info.channels}`
      return { ok: false, reason: 'corrupt', detail: `decoded to an unexpected shape ${shape}` }
    }
    return { ok: true, rgb: data, grayscale: isGrayscale(data) }
  } catch (error) {
    return classifyFailure(bytes, error instanceof Error ? error.message : String(error))
  }
}

function classifyFailure(bytes: Buffer, message: string): DecodeResult & { ok: false } {
  // libvips keeps one error buffer per process: with several pipelines in flight a failing file may report
  // 'Unknown error' or another file's message as well, so the message is a detail and the bytes decide the reason.
  const sharpSays = `sharp: ${message.trim().split('\n')[0]}`
  if (/pixel limit/i.test(message)) return { ok: false, reason: 'unsupported', detail: `too large (${sharpSays})` }
  if (endsEarly(bytes)) return { ok: false, reason: 'truncated', detail: `the file ends early (${sharpSays})` }
  return { ok: false, reason: 'corrupt', detail: `not a readable image (${sharpSays})` }
}

/** Grey by content, not by file mode: WebP, AVIF and GIF have no grey mode, and many grey photos are saved as RGB. */
function isGrayscale(rgb: Buffer): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false
  }
  return true
}
