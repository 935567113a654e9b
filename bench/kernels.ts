// Times the wasm conv kernels at the DCGAN layer shapes: stock Conv2D (XNNPACK, the yardstick), stock
// Conv2DBackpropInput against ours, and our Conv2DBackpropFilter (the wasm backend has none).
//
//   npx tsx bench/kernels.ts [--config A|B|all] [--no-stock] [--reps 3] [--threads N]
//   npx tsx bench/kernels.ts --iteration A|B [--iters K] [--threads N]   (a whole iteration, step by step)
//
// Config A: 64 px RGB, ngf = ndf = 64, batch 128. Config B: 32 px RGB, ngf = ndf = 32, batch 64.
// Every layer is described as the convolution it is: x [N,H,W,Ci] -> [N,OH,OW,Co] with a k x k filter.
// A generator layer (conv2dTranspose) runs BackpropInput forward and Conv2D + BackpropFilter backward.
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../src/main/training/backend'
import { registerWasmKernels, unregisterWasmKernels } from '../src/main/training/backend/wasm-kernels'
import { profileIteration } from './iteration-profile'
import type { BenchConfig } from './training'

interface Layer {
  name: string
  net: 'G' | 'D'
  x: [number, number, number, number]
  k: number
  stride: number
  pad: 'same' | 'valid'
  co: number
  /** Position in its net, 1-based: the first layer of each net needs no input gradient. */
  index: number
}

function dcganLayers(size: 32 | 64, nc: number, ngf: number, ndf: number, nz: number, batch: number): Layer[] {
  const layers: Layer[] = []
  const steps = size === 64 ? 4 : 3
  // G, in conv terms: layer l maps its output x (the big side) to its input (the small side).
  const gWidths = Array.from({ length: steps }, (_, i) => ngf * 2 ** (steps - 1 - i)) // e.g. 512,256,128,64
  layers.push({ name: `G1 z->4x4x${gWidths[0]}`, net: 'G', x: [batch, 4, 4, gWidths[0]], k: 4, stride: 1, pad: 'valid', co: nz, index: 1 })
  for (let i = 0; i < steps; i++) {
    const inSize = 4 * 2 ** i
    const outC = i + 1 < steps ? gWidths[i + 1] : nc
    layers.push({
      name: `G${i + 2} ${inSize}->${inSize * 2}x${outC}`,
      net: 'G',
      x: [batch, inSize * 2, inSize * 2, outC],
      k: 4,
      stride: 2,
      pad: 'same',
      co: gWidths[i],
      index: i + 2
    })
  }
  let channels = nc
  for (let i = 0; i < steps; i++) {
    const inSize = size / 2 ** i
    const co = ndf * 2 ** i
    layers.push({ name: `D${i + 1} ${inSize}->${inSize / 2}x${co}`, net: 'D', x: [batch, inSize, inSize, channels], k: 4, stride: 2, pad: 'same', co, index: i + 1 })
    channels = co
  }
  layers.push({ name: `D${steps + 1} 4x4x${channels}->1`, net: 'D', x: [batch, 4, 4, channels], k: 4, stride: 1, pad: 'valid', co: 1, index: steps + 1 })
  return layers
}

const CONFIGS = {
  A: () => dcganLayers(64, 3, 64, 64, 100, 128),
  B: () => dcganLayers(32, 3, 32, 32, 100, 64)
}

interface Timing {
  ms: number
  gflops: number
}

/** Best of `reps` after a warm-up: other processes only ever add time, so the minimum is the kernel's own. */
function time(run: () => tf.Tensor, flops: number, reps: number, warmUp = true): Timing {
  if (warmUp) run().dispose() // XNNPACK operator creation, heap growth
  let ms = Infinity
  for (let i = 0; i < reps; i++) {
    const start = performance.now()
    const out = run() // wasm kernels are synchronous
    ms = Math.min(ms, performance.now() - start)
    out.dispose()
  }
  return { ms, gflops: flops / ms / 1e6 }
}

function benchLayer(layer: Layer, options: { stock: boolean; reps: number }) {
  const [n, , , ci] = layer.x
  const filterShape: [number, number, number, number] = [layer.k, layer.k, ci, layer.co]
  const conv = { strides: layer.stride, pad: layer.pad, dataFormat: 'NHWC' as const }
  const x = tf.randomNormal(layer.x)
  const filter = tf.randomNormal(filterShape, 0, 0.02)
  const y = tf.engine().runKernel(tf.Conv2D, { x, filter }, { ...conv, dilations: 1 }) as tf.Tensor4D
  const dy = tf.randomNormal(y.shape)
  const flops = 2 * n * y.shape[1] * y.shape[2] * layer.k * layer.k * ci * layer.co

  const conv2d = () => tf.engine().runKernel(tf.Conv2D, { x, filter }, { ...conv, dilations: 1 }) as tf.Tensor
  const backpropInput = () =>
    tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, { ...conv, inputShape: layer.x }) as tf.Tensor
  const backpropFilter = () =>
    tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...conv, filterShape }) as tf.Tensor

  const result = {
    conv2d: time(conv2d, flops, options.reps),
    inputOurs: time(backpropInput, flops, options.reps),
    filterOurs: time(backpropFilter, flops, options.reps),
    inputStock: undefined as Timing | undefined
  }
  if (options.stock) {
    unregisterWasmKernels()
    try {
      // A plain loop with nothing to warm up, and seconds per call.
      result.inputStock = time(backpropInput, flops, 1, false)
    } finally {
      registerWasmKernels()
    }
  }
  tf.dispose([x, filter, y, dy])
  return result
}

/**
 * Kernel calls per training iteration on the wasm engine: D runs forward 3 times (real, fake, then fake
 * again in the G step) and backward 3 times (its first layer's input gradient only in the G step); G runs
 * forward once (BackpropInput) and backward once (Conv2D for its input gradient, except the first layer).
 */
function callsPerIteration(layer: Layer) {
  if (layer.net === 'D') return { conv2d: 3, input: layer.index > 1 ? 3 : 1, filter: 2 }
  return { conv2d: layer.index > 1 ? 1 : 0, input: 1, filter: 1 }
}

function cell(t: Timing | undefined): string {
  return t === undefined ? '-'.padStart(17) : `${t.ms.toFixed(1).padStart(8)} ${t.gflops.toFixed(1).padStart(5)} GF`
}

async function main() {
  const args = process.argv.slice(2)
  const value = (flag: string, fallback: string) => {
    const i = args.indexOf(flag)
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback
  }
  const which = value('--config', 'all').toUpperCase()
  const reps = Number(value('--reps', '3'))
  const stock = !args.includes('--no-stock')
  const threads = value('--threads', '')
  const info = await initBackend('wasm', { wasmThreads: threads === '' ? undefined : Number(threads) })
  const iteration = value('--iteration', '')
  if (iteration !== '') {
    await profileIteration(iteration.toUpperCase() as BenchConfig, Number(value('--iters', iteration.toUpperCase() === 'A' ? '2' : '10')), info.detail)
    return
  }
  console.log(`backend: ${info.detail}; best of ${reps} after a warm-up (stock: 1 run, no warm-up); ms and GFLOPS`)

  for (const [name, layersOf] of Object.entries(CONFIGS)) {
    if (which !== 'ALL' && which !== name) continue
    console.log(`\nconfig ${name}`)
    console.log(
      `${'layer'.padEnd(20)} ${'Conv2D (stock)'.padStart(17)} ${'BackpropInput stock'.padStart(19)} ` +
        `${'BackpropInput ours'.padStart(19)} ${'speedup'.padStart(7)} ${'BackpropFilter ours'.padStart(19)}`
    )
    const total = { stock: 0, ours: 0 }
    for (const layer of layersOf()) {
      const r = benchLayer(layer, { stock, reps })
      const speedup = r.inputStock ? `${(r.inputStock.ms / r.inputOurs.ms).toFixed(1)}x` : '-'
      console.log(
        `${layer.name.padEnd(20)} ${cell(r.conv2d)} ${cell(r.inputStock).padStart(19)} ${cell(r.inputOurs).padStart(19)} ` +
          `${speedup.padStart(7)} ${cell(r.filterOurs).padStart(19)}`
      )
      const calls = callsPerIteration(layer)
      const shared = calls.conv2d * r.conv2d.ms + calls.filter * r.filterOurs.ms
      total.ours += shared + calls.input * r.inputOurs.ms
      if (r.inputStock) total.stock += shared + calls.input * r.inputStock.ms
    }
    console.log(`conv kernel time per training iteration (estimate): ours ${(total.ours / 1000).toFixed(2)} s` +
      (stock ? `, with the stock BackpropInput ${(total.stock / 1000).toFixed(2)} s` : ''))
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
