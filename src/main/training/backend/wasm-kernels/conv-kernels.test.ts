// Our wasm conv kernels against the cpu backend (the reference), on every layer shape a DCGAN uses and a
// few that take the general paths: forward outputs and gradients with respect to both operands.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../../../shared/random'
import { initBackend } from '..'
import { registerWasmKernels, unregisterWasmKernels, wasmKernelsRegistered } from '.'
import { choosePlan, forceBackpropInputPlan, type BackpropInputPlan } from './conv2d-backprop-input'

type Shape4 = [number, number, number, number]
type Pad = 'same' | 'valid' | number

interface LayerCase {
  name: string
  kind: 'conv2d' | 'conv2dTranspose'
  /** conv2d: input [N,H,W,Ci]. conv2dTranspose: input [N,h,w,Cin]. */
  input: Shape4
  /** conv2d: [k,k,Ci,Co]. conv2dTranspose: [k,k,Cout,Cin]. */
  filter: Shape4
  stride: number
  pad: Pad
  /** conv2dTranspose only. */
  outShape?: Shape4
}

// Small versions of the model's layers (nz 6, ngf = ndf = 4, batch 2-3), then general-path shapes.
const CASES: LayerCase[] = [
  { name: 'G first: 1x1 -> 4x4, k4 s1 valid', kind: 'conv2dTranspose', input: [3, 1, 1, 6], filter: [4, 4, 16, 6], stride: 1, pad: 'valid', outShape: [3, 4, 4, 16] },
  { name: 'G middle: 4x4 -> 8x8, k4 s2 same', kind: 'conv2dTranspose', input: [2, 4, 4, 16], filter: [4, 4, 8, 16], stride: 2, pad: 'same', outShape: [2, 8, 8, 8] },
  { name: 'G middle: 8x8 -> 16x16, k4 s2 same', kind: 'conv2dTranspose', input: [2, 8, 8, 8], filter: [4, 4, 4, 8], stride: 2, pad: 'same', outShape: [2, 16, 16, 4] },
  { name: 'G last RGB: 16x16 -> 32x32, k4 s2 same', kind: 'conv2dTranspose', input: [2, 16, 16, 4], filter: [4, 4, 3, 4], stride: 2, pad: 'same', outShape: [2, 32, 32, 3] },
  { name: 'G last gray: 16x16 -> 32x32, k4 s2 same', kind: 'conv2dTranspose', input: [2, 16, 16, 4], filter: [4, 4, 1, 4], stride: 2, pad: 'same', outShape: [2, 32, 32, 1] },
  { name: 'D first RGB: 32x32 -> 16x16, k4 s2 same', kind: 'conv2d', input: [2, 32, 32, 3], filter: [4, 4, 3, 4], stride: 2, pad: 'same' },
  { name: 'D first gray: 32x32 -> 16x16, k4 s2 same', kind: 'conv2d', input: [2, 32, 32, 1], filter: [4, 4, 1, 4], stride: 2, pad: 'same' },
  { name: 'D middle: 8x8 -> 4x4, k4 s2 same', kind: 'conv2d', input: [2, 8, 8, 8], filter: [4, 4, 8, 16], stride: 2, pad: 'same' },
  { name: 'D last: 4x4 -> 1x1, k4 s1 valid', kind: 'conv2d', input: [3, 4, 4, 16], filter: [4, 4, 16, 1], stride: 1, pad: 'valid' },
  { name: 'PyTorch-style numeric pad 1, k4 s2', kind: 'conv2d', input: [2, 8, 8, 3], filter: [4, 4, 3, 5], stride: 2, pad: 1 },
  { name: 'general: k3 s1 same', kind: 'conv2d', input: [2, 7, 7, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { name: 'general: k3 s2 same, odd input', kind: 'conv2d', input: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { name: 'general: k4 s2 valid, leftover row', kind: 'conv2d', input: [2, 9, 9, 2], filter: [4, 4, 2, 3], stride: 2, pad: 'valid' },
  { name: 'general: k5 s3 pad 2', kind: 'conv2d', input: [2, 10, 10, 2], filter: [5, 5, 2, 3], stride: 3, pad: 2 },
  { name: 'general: convT k3 s2 same', kind: 'conv2dTranspose', input: [2, 5, 5, 4], filter: [3, 3, 2, 4], stride: 2, pad: 'same', outShape: [2, 10, 10, 2] },
  { name: 'general: k1 s2 (kernel smaller than stride)', kind: 'conv2d', input: [2, 8, 8, 3], filter: [1, 1, 3, 4], stride: 2, pad: 'same' }
]

function layer(c: LayerCase, x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  if (c.kind === 'conv2d') return tf.conv2d(x, w, c.stride, c.pad)
  return tf.conv2dTranspose(x, w, c.outShape!, c.stride, c.pad)
}

function randomData(seed: number, stream: string, n: number): Float32Array {
  return new Random(seed, stream).normalArray(n)
}

/** Forward output and the gradients of sum(y * r) (r random, so dy is not uniform) for x and w. */
function forwardAndGrads(c: LayerCase): tf.Tensor[] {
  const x = tf.tensor4d(randomData(1, `${c.name}/x`, sizeOf(c.input)), c.input)
  const w = tf.tensor4d(randomData(1, `${c.name}/w`, sizeOf(c.filter)), c.filter)
  const y = layer(c, x, w)
  const r = tf.tensor(randomData(1, `${c.name}/r`, y.size), y.shape)
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(layer(c, a as tf.Tensor4D, b as tf.Tensor4D), r))
  )([x, w])
  return [y, ...grads]
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

async function valuesOn(backend: 'wasm' | 'cpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend(backend)
  const outs = tf.tidy(f)
  const values = outs.map((t) => t.dataSync() as Float32Array)
  tf.dispose(outs)
  return values
}

/** Largest difference relative to the reference's largest magnitude. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  let maxAbs = 0
  let maxDiff = 0
  for (let i = 0; i < expected.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]))
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]))
  }
  expect(maxAbs).toBeGreaterThan(0)
  return maxDiff / maxAbs
}

function wasmBackend(): BackendWasm {
  return tf.backend() as BackendWasm
}

// null: the plan the kernel picks for the shape; then each Conv2DBackpropInput plan forced on every shape
// (a plan that cannot handle a shape falls back to one that can).
const PLANS: (BackpropInputPlan | null)[] = [null, 'dense', 'per-phase', 'one-conv']
const CASES_BY_PLAN = PLANS.flatMap((plan) => CASES.map((c) => ({ ...c, plan, planName: plan ?? 'auto' })))

describe('wasm conv kernels match the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })
  afterAll(() => forceBackpropInputPlan(null))

  it.each(CASES_BY_PLAN)('$name, plan $planName: output, dL/dx and dL/dw', async (c) => {
    const expected = await valuesOn('cpu', () => forwardAndGrads(c))
    forceBackpropInputPlan(c.plan)
    const actual = await valuesOn('wasm', () => forwardAndGrads(c))
    expect(wasmKernelsRegistered()).toBe(true)
    for (const [i, what] of ['output', 'dL/dx', 'dL/dw'].entries()) {
      expect(relativeError(actual[i], expected[i]), what).toBeLessThan(1e-4)
    }
  })

  it.each(CASES_BY_PLAN)('$name, plan $planName: keeps tensors and wasm buffers flat over repeated calls', async (c) => {
    await initBackend('wasm')
    forceBackpropInputPlan(c.plan)
    const once = () => tf.dispose(tf.tidy(() => forwardAndGrads(c)))
    once()
    const tensors = tf.memory().numTensors
    const buffers = wasmBackend().numDataIds()
    for (let i = 0; i < 3; i++) once()
    expect(tf.memory().numTensors).toBe(tensors)
    expect(wasmBackend().numDataIds()).toBe(buffers)
  })

  it('falls back to the stock kernel for NCHW data', async () => {
    forceBackpropInputPlan(null)
    // conv2dTranspose has no data format argument; NCHW only reaches the kernel directly.
    const dyShape: Shape4 = [2, 4, 3, 3] // NCHW
    const filterShape: Shape4 = [3, 3, 2, 4]
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 2, 3, 3] }
    const run = () => {
      const dy = tf.tensor4d(randomData(2, 'nchw/dy', sizeOf(dyShape)), dyShape)
      const filter = tf.tensor4d(randomData(2, 'nchw/w', sizeOf(filterShape)), filterShape)
      return [tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs) as tf.Tensor]
    }
    const expected = await valuesOn('cpu', run)
    const actual = await valuesOn('wasm', run)
    expect(relativeError(actual[0], expected[0])).toBeLessThan(1e-4)
  })

  it('rejects NCHW in Conv2DBackpropFilter with a clear message', async () => {
    await initBackend('wasm')
    const x = tf.zeros([1, 2, 4, 4])
    const dy = tf.zeros([1, 3, 4, 4])
    expect(() =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] })
    ).toThrow(/only NHWC/)
    tf.dispose([x, dy])
  })
})

describe('Conv2DBackpropInput plan', () => {
  // inputShape is dx (the forward conv's input), filter [k, k, dx channels, dy channels].
  const planFor = (dx: Shape4, filter: Shape4, stride: number, pad: Pad) =>
    choosePlan(tf.backend_util.computeConv2DInfo(dx, filter, stride, 1, pad))

  it('is a matmul for the 1x1 <-> 4x4 layers', () => {
    expect(planFor([128, 4, 4, 512], [4, 4, 512, 100], 1, 'valid')).toBe('dense')
    expect(planFor([128, 4, 4, 512], [4, 4, 512, 1], 1, 'valid')).toBe('dense')
  })

  it('is one conv per phase for wide layers and one conv for all phases for 1-3 channel images', () => {
    expect(planFor([128, 16, 16, 128], [4, 4, 128, 256], 2, 'same')).toBe('per-phase')
    expect(planFor([128, 64, 64, 3], [4, 4, 3, 64], 2, 'same')).toBe('one-conv')
    expect(planFor([64, 32, 32, 1], [4, 4, 1, 32], 2, 'same')).toBe('one-conv')
  })

  it('uses one conv when a phase would have no filter tap (kernel smaller than stride)', () => {
    expect(planFor([2, 8, 8, 32], [1, 1, 32, 8], 2, 'same')).toBe('one-conv')
  })
})

describe('registering the kernels', () => {
  afterAll(() => registerWasmKernels())

  it('is idempotent and can be undone', async () => {
    await initBackend('wasm')
    registerWasmKernels()
    registerWasmKernels()
    expect(wasmKernelsRegistered()).toBe(true)
    const ours = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')

    unregisterWasmKernels()
    expect(wasmKernelsRegistered()).toBe(false)
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeUndefined()
    const stock = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')
    expect(stock).toBeDefined()
    expect(stock).not.toBe(ours)
    // The stock kernel still computes (its wasm function stayed bound while ours was registered).
    const y = tf.conv2dTranspose(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, [1, 4, 4, 1], 2, 'same')
    expect(Array.from(y.dataSync())).toEqual(new Array(16).fill(1))

    registerWasmKernels()
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(ours)
    tf.dispose(y)
  })
})
