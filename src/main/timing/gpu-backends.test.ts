import { describe, expect, it } from 'vitest'
import { BACKEND_DEVICES } from '../../shared/config'
import { isSoftwareAdapter } from '../../shared/gpu'
import { gpuBackends, probeWebgpu } from './gpu-backends'

describe('which backends here compute on a GPU', () => {
  it('asks WebGPU once, in a worker, and answers with an adapter or the reason there is none', async () => {
    const first = probeWebgpu()
    expect(probeWebgpu()).toBe(first)
    const answer = await first
    // Either a hardware adapter's name or why not (no driver, only a software adapter, ...): never both.
    expect((answer.adapter === null) !== (answer.reason === null)).toBe(true)
    const gpu = await gpuBackends()
    expect(gpu.every((name) => BACKEND_DEVICES[name] === 'gpu')).toBe(true)
    expect(gpu.includes('webgpu')).toBe(answer.adapter !== null)
  })

  it('takes a software adapter for none: it is slower than the CPU backends', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: '' })).toBe(true)
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true)
    expect(isSoftwareAdapter({ vendor: 'nvidia', description: 'NVIDIA GeForce RTX 4070', isFallbackAdapter: true })).toBe(true)
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4070' })).toBe(false)
  })
})
