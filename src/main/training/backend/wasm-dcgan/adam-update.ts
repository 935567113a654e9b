// Adam's update as one loop per parameter over the wasm heap, instead of ~10 TF.js kernels each passing
// over the parameter. Writes new buffers for the parameter and both moments (never into a live one: the
// conv kernels cache packed weights by buffer) and makes them the variables' values.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { Adam } from '../../adam'
import { heapF32 } from '../wasm-kernels/kernel-calls'
import { assignBuffer, type Gradient } from './network-pass'

export function adamUpdateOnHeap(backend: BackendWasm, adam: Adam, grads: Gradient[]): void {
  const { beta1, beta2, stepSize, scaledEpsilon } = adam.beginStep()
  const { m: ms, v: vs } = adam.moments
  adam.parameters.forEach((param, i) => {
    const newParam = backend.makeOutput(param.shape, 'float32')
    const newM = backend.makeOutput(param.shape, 'float32')
    const newV = backend.makeOutput(param.shape, 'float32')
    // Views after the last allocation: an allocation can move the heap.
    const grad = grads[i]
    const g = grad instanceof Float32Array ? grad : heapF32(backend, grad)
    const [p, m, v, pOut, mOut, vOut] = [param, ms[i], vs[i], newParam, newM, newV].map((t) => heapF32(backend, t))
    if (g.length !== p.length) throw new Error(`gradient ${i} has ${g.length} values, its parameter ${p.length}`)
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
