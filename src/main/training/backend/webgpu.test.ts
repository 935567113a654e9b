// WebGPU in Node through Dawn, on SwiftShader (the software Vulkan driver Debian's chromium ships): how the
// backend is chosen and named, memory across iterations, and a GPU that goes away under training.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { useSoftwareGpu } from '../../../../tests/fixtures/software-gpu'
import { parseRunConfig } from '../../../shared/config'
import { Random } from '../../../shared/random'
import { GpuFaultError } from '../gpu-fault'
import { Trainer } from '../trainer'
import { initBackend, passedOverNotes, releaseBackends } from '.'
import { activeGpuDevice } from './webgpu-device'

const gpu = useSoftwareGpu()
const ROOT = path.resolve(__dirname, '../../../..')

afterAll(() => releaseBackends())

function digitsLike(count: number, size: number) {
  const values = new Random(2, 'webgpu-test').normalArray(count * size * size)
  return { count, size, channels: 1 as const, pixels: Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round(128 + 60 * v)))) }
}

const tiny = parseRunConfig({ imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, iterations: 100, fixedNoiseCount: 4, seed: 5 })

/** TF.js's webgpu backend counts the bytes its tensors use and the bytes its buffer pool holds. */
function gpuBytes(): { used: number; pooled: number } {
  const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number }
  return { used: memory.numBytesInGPU ?? NaN, pooled: memory.numBytesAllocatedInGPU ?? NaN }
}

describe.skipIf(gpu.skip)('the webgpu backend on a software adapter', () => {
  it('starts when asked for by name, and names the adapter and its API', async () => {
    const info = await initBackend('webgpu')
    expect(info).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu', tried: [] })
    expect(info.detail).toMatch(/^webgpu \(SwiftShader[^,]*, Vulkan, software adapter: slow\)$/)
    expect(info.adapter).toMatchObject({ api: 'Vulkan', software: true })
  })

  it('is passed over by auto, which says why (a software adapter is slower than the CPU engines)', async () => {
    const info = await initBackend('auto')
    expect(info.name).not.toBe('webgpu')
    const webgpu = info.tried.find((t) => t.name === 'webgpu')
    expect(webgpu?.stage).toBe('software')
    expect(passedOverNotes(info)).toContainEqual(expect.stringMatching(/^webgpu: the only GPU adapter is a software one \(SwiftShader[^)]*\), slower than the CPU backends; .*; using (wasm|tensorflow)$/))
  })

  it('keeps tensors and GPU memory flat across iterations, grids and snapshots', async () => {
    await initBackend('webgpu')
    const trainer = new Trainer(tiny, digitsLike(16, 32))
    const once = async () => {
      await trainer.step()
      await trainer.renderFixedNoise()
      await trainer.snapshot()
    }
    await once()
    await once()
    const tensors = tf.memory().numTensors
    const bytes = gpuBytes()
    for (let i = 0; i < 3; i++) await once()
    expect(tf.memory().numTensors).toBe(tensors)
    expect(gpuBytes().used).toBe(bytes.used)
    // The pool keeps freed buffers for reuse: it must not keep growing either.
    expect(gpuBytes().pooled).toBe(bytes.pooled)
    trainer.dispose()
  })

  it('ends training with a GpuFaultError when the device is lost, never a hang; a new start gets a new device', async () => {
    await initBackend('webgpu')
    const trainer = new Trainer(tiny, digitsLike(16, 32))
    await trainer.step()
    activeGpuDevice()!.destroy()
    const failure = await trainer.step().then(() => null, (error: unknown) => error)
    expect(failure).toBeInstanceOf(GpuFaultError)
    expect((failure as GpuFaultError).kind).toBe('device-lost')
    expect((failure as Error).message).toMatch(/^the GPU \(SwiftShader.*\) stopped working: its device was lost/)
    trainer.dispose()

    const again = await initBackend('webgpu')
    expect(again.name).toBe('webgpu')
    const fresh = new Trainer(tiny, digitsLike(16, 32))
    expect(Number.isFinite((await fresh.step()).lossD)).toBe(true)
    fresh.dispose()
  })

  it('ends training with a GpuFaultError that says so when the GPU runs out of memory; a new start gets a new device', async () => {
    await initBackend('webgpu')
    const trainer = new Trainer(tiny, digitsLike(16, 32))
    await trainer.step()
    const device = activeGpuDevice()!
    // The event a device sends when an allocation fails (a real one needs more memory than a test may take).
    const { GPUUncapturedErrorEvent, GPUOutOfMemoryError } = globalThis as unknown as Record<string, new (...args: never[]) => Event & Error>
    device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror' as never, { error: new GPUOutOfMemoryError('Allocation of 2 GiB failed' as never) } as never))
    const failure = await trainer.step().then(() => null, (error: unknown) => error)
    expect(failure).toBeInstanceOf(GpuFaultError)
    expect((failure as GpuFaultError).kind).toBe('out-of-memory')
    expect((failure as Error).message).toMatch(/^the GPU \(SwiftShader.*\) ran out of memory \(Allocation of 2 GiB failed\); a smaller batch size or image size fits$/)
    trainer.dispose()
    await initBackend('webgpu')
    expect(activeGpuDevice()).not.toBe(device)
  })

  it('ends training with a GpuFaultError when the device reports an error of ours (validation)', async () => {
    await initBackend('webgpu')
    const trainer = new Trainer(tiny, digitsLike(16, 32))
    await trainer.step()
    activeGpuDevice()!.createBuffer({ size: 4, usage: 0 })
    const failure = await trainer.step().then(() => null, (error: unknown) => error)
    expect((failure as GpuFaultError).kind).toBe('gpu-error')
    expect((failure as Error).message).toMatch(/^the GPU \(SwiftShader.*\) reported an error: Buffer usages must not be 0/)
    trainer.dispose()
  })
})

/** A script in its own process: Dawn reads the Vulkan setup once per process. */
function runScript(script: string, env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } })
}

describe('webgpu where there is no GPU', () => {
  const start = `
    const { initBackend } = require(${JSON.stringify(path.join(__dirname, 'index.ts'))})
    initBackend('webgpu').then(() => console.log('started'), (error) => { console.log(error.stage + ': ' + error.message); process.exit(3) })`

  it('says so, and what to install, when the Vulkan driver finds no GPU', () => {
    const result = runScript(start, { VK_ICD_FILENAMES: path.join(ROOT, 'no-such-driver.json') })
    expect(result.status, result.stderr).toBe(3)
    expect(result.stdout.trim()).toBe('no-adapter: webgpu: no GPU adapter was found (no GPU, or no driver for it: on Linux, install its Vulkan driver)')
  })

  const icdInstalled = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some(
    (dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json'))
  )
  it.skipIf(icdInstalled || process.platform !== 'linux')('names the missing Vulkan driver before asking Dawn (whose own warnings would go to stderr)', () => {
    const result = runScript(start, { VK_ICD_FILENAMES: undefined, VK_DRIVER_FILES: undefined, XDG_DATA_DIRS: '' })
    expect(result.status, result.stderr).toBe(3)
    expect(result.stdout.trim()).toBe("no-adapter: webgpu: no Vulkan driver is installed; install your GPU's (NVIDIA's driver includes it; AMD and Intel: mesa-vulkan-drivers)")
    expect(result.stderr).not.toMatch(/vkCreateInstance/)
  })

  it.skipIf(gpu.skip)('lets the process exit once training is done and the backend released', () => {
    const script = `
      const { initBackend, releaseBackends } = require(${JSON.stringify(path.join(__dirname, 'index.ts'))})
      const tf = require('@tensorflow/tfjs')
      initBackend('webgpu').then(async () => { await tf.add(tf.ones([4]), 1).data(); releaseBackends(); console.log('released') })`
    const result = runScript(script, { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES })
    expect(result.error, 'the process did not exit within 60 s').toBeUndefined()
    expect(result.stdout.trim()).toBe('released')
    expect(result.status).toBe(0)
  })
})
