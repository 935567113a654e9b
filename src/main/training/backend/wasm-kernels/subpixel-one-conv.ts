// Conv2DBackpropInput as ONE stride-1 convolution computing every sub-pixel phase at once.
//
// With stride s, dx row y = s*q + r - padTop takes its taps from dy rows q-T+1..q (T = ceil(K/s)) with
// filter rows s*(T-1-t) + r. So a TxT convolution of dy with s*s*inChannels output channels yields all
// phases r (rows) and c (columns); interleaving them (a depthToSpace) and cropping the padding gives dx.
// The phase grid is one row and column larger than dy when padTop > 0, which wastes ((OH+1)/OH)^2 - 1 of
// the work on small layers (subpixel-per-phase.ts avoids it), but its s*s*inChannels outputs keep XNNPACK
// busy when dx has only the image's 1-3 channels.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { derivedFilter } from './derived-filters'
import { conv2d, crop, heapF32, release, transpose, view, type TensorInfo } from './kernel-calls'

type ConvInfo = tf.backend_util.Conv2DInfo

export function backpropInputOneConv(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: ConvInfo
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info
  const tapsH = Math.ceil(info.filterHeight / strideHeight)
  const tapsW = Math.ceil(info.filterWidth / strideWidth)
  // Phase rows q = 0..lastQ cover dx rows y with y + padTop = s*q + r.
  const lastQH = Math.floor((inHeight - 1 + info.padInfo.top) / strideHeight)
  const lastQW = Math.floor((inWidth - 1 + info.padInfo.left) / strideWidth)
  const padding = {
    top: tapsH - 1,
    bottom: Math.max(0, lastQH - (outHeight - 1)),
    left: tapsW - 1,
    right: Math.max(0, lastQW - (outWidth - 1))
  }
  const subFilter = derivedFilter(backend, filter, `all phases ${tapsH}x${tapsW}/${strideHeight}x${strideWidth}`, () =>
    allPhasesFilter(backend, filter, info, tapsH, tapsW)
  )
  const phases = conv2d(backend, dy, subFilter, padding)
  const [, qH, qW] = phases.shape
  const fullHeight = qH * strideHeight
  const fullWidth = qW * strideWidth

  let interleaved = phases
  if (strideHeight > 1 || strideWidth > 1) {
    // [N, qH, qW, sH, sW, Ci] -> [N, qH, sH, qW, sW, Ci] is depthToSpace (the wasm DepthToSpace kernel
    // is ~50x slower than Transpose for this).
    const phaseView = view(phases, [batchSize, qH, qW, strideHeight, strideWidth, inChannels])
    interleaved = transpose(backend, phaseView, [0, 1, 3, 2, 4, 5])
    release(backend, phases)
  }
  const top = info.padInfo.top
  const left = info.padInfo.left
  if (top === 0 && left === 0 && fullHeight === inHeight && fullWidth === inWidth) {
    return view(interleaved, [batchSize, inHeight, inWidth, inChannels])
  }
  const fullView = view(interleaved, [batchSize, fullHeight, fullWidth, inChannels])
  const dx = crop(backend, fullView, top, left, inHeight, inWidth)
  release(backend, interleaved)
  return dx
}

/**
 * The filter [tapsH, tapsW, outChannels, sH*sW*inChannels] of the one-convolution decomposition:
 * G[t, u, co, (r, c, ci)] = W[sH*(tapsH-1-t) + r, sW*(tapsW-1-u) + c, ci, co], zero past the filter's edge.
 */
function allPhasesFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  info: ConvInfo,
  tapsH: number,
  tapsW: number
): TensorInfo {
  const { filterHeight, filterWidth, inChannels, outChannels, strideHeight, strideWidth } = info
  const out = backend.makeOutput([tapsH, tapsW, outChannels, strideHeight * strideWidth * inChannels], 'float32')
  const w = heapF32(backend, filter)
  const g = heapF32(backend, out)
  let d = 0
  for (let t = 0; t < tapsH; t++) {
    for (let u = 0; u < tapsW; u++) {
      for (let co = 0; co < outChannels; co++) {
        for (let r = 0; r < strideHeight; r++) {
          const ky = strideHeight * (tapsH - 1 - t) + r
          for (let c = 0; c < strideWidth; c++) {
            const kx = strideWidth * (tapsW - 1 - u) + c
            if (ky >= filterHeight || kx >= filterWidth) {
              g.fill(0, d, d + inChannels)
              d += inChannels
              continue
            }
            let s = (ky * filterWidth + kx) * inChannels * outChannels + co
            for (let ci = 0; ci < inChannels; ci++, s += outChannels) g[d++] = w[s]
          }
        }
      }
    }
  }
  return out
}
