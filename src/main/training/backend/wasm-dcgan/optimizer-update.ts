// The optimizer's update as one loop per parameter over the wasm heap, instead of ~10 TF.js kernels each
// passing over the parameter. Writes new buffers for the parameter and its state (never into a live one:
// the conv kernels cache packed weights by buffer) and makes them the variables' values.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { Adam } from '../../adam'
import type { Optimizer } from '../../optimizer'
import type { RmsProp } from '../../rmsprop'
import { heapF32, type TensorInfo } from '../wasm-kernels/kernel-calls'
import { assignBuffer, type Gradient } from './network-pass'

export function optimizerUpdateOnHeap(backend: BackendWasm, optimizer: Optimizer, grads: Gradient[]): void {
  if (optimizer.kind === 'adam') adamUpdateOnHeap(backend, optimizer, grads)
  else rmsPropUpdateOnHeap(backend, optimizer, grads)
}

/** The gradient's values (views after the caller's last allocation: an allocation can move the heap). */
function gradientValues(backend: BackendWasm, grad: Gradient, length: number, index: number): Float32Array {
  const g = grad instanceof Float32Array ? grad : heapF32(backend, grad as TensorInfo)
  if (g.length !== length) throw new Error(`gradient ${index} has ${g.length} values, its parameter ${length}`)
  return g
}

function adamUpdateOnHeap(backend: BackendWasm, adam: Adam, grads: Gradient[]): void {
  const { beta1, beta2, stepSize, scaledEpsilon } = adam.beginStep()
  const { m: ms, v: vs } = adam.moments
  adam.parameters.forEach((param, i) => {
    const newParam = backend.makeOutput(param.shape, 'float32')
    const newM = backend.makeOutput(param.shape, 'float32')
    const newV = backend.makeOutput(param.shape, 'float32')
    const [p, m, v, pOut, mOut, vOut] = [param, ms[i], vs[i], newParam, newM, newV].map((t) => heapF32(backend, t))
    const g = gradientValues(backend, grads[i], p.length, i)
    for (let j = 0; j < p.length; j++) {
      const gj = g[j]
      const mj = beta1 * m[j] + (1 - beta1) * gj
      const vj = beta2 * v[j] + (1 - beta2) * gj * gj
      mOut[j] = mj
      vOut[j] = vj
      pOut[j] = p[j] - (stepSize * mj) / (Math.sqrt(vj) + scaledEpsilon)
    }
    assignBuffer(param, newParam)
    assignBuffer(ms[i], newM)
    assignBuffer(vs[i], newV)
  })
}

function rmsPropUpdateOnHeap(backend: BackendWasm, rmsProp: RmsProp, grads: Gradient[]): void {
  const { learningRate, alpha, epsilon } = rmsProp.beginStep()
  const vs = rmsProp.squareAverages
  rmsProp.parameters.forEach((param, i) => {
    const newParam = backend.makeOutput(param.shape, 'float32')
    const newV = backend.makeOutput(param.shape, 'float32')
    const [p, v, pOut, vOut] = [param, vs[i], newParam, newV].map((t) => heapF32(backend, t))
    const g = gradientValues(backend, grads[i], p.length, i)
    for (let j = 0; j < p.length; j++) {
      const gj = g[j]
      const vj = alpha * v[j] + (1 - alpha) * gj * gj
      vOut[j] = vj
      pOut[j] = p[j] - (learningRate * gj) / (Math.sqrt(vj) + epsilon)
    }
    assignBuffer(param, newParam)
    assignBuffer(vs[i], newV)
  })
}
