// WebGPU in plain Node (the CLI, `gan-studio serve`, their worker threads): Dawn's prebuilt bindings (npm
// `webgpu`) give this thread a navigator.gpu. Not inside Electron: its V8 memory cage refuses the buffers
// dawn.node hands out, so the desktop app trains on Chromium's own WebGPU in its compute window instead.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runtimeRequire } from '../../runtime-require'
import { BackendUnavailableError } from './errors'
import { platformGraphicsApi, releaseWebgpu, startWebgpuOn, type GpuAdapterSummary } from './webgpu-device'

let dawn: Promise<GPU> | null = null

/** Dawn's navigator.gpu for this thread, created once. */
async function dawnGpu(profiling: boolean): Promise<GPU> {
  dawn ??= (async () => {
    // The package is ESM-only and this code is bundled as CommonJS: import it by its resolved file URL, an
    // expression the bundlers leave alone (a plain import('webgpu') would become a require, which fails).
    const url = pathToFileURL(runtimeRequire.resolve('webgpu')).href
    const { create, globals } = (await import(url)) as { create(options: string[]): GPU; globals: Record<string, unknown> }
    Object.assign(globalThis, globals)
    // GPU timestamps (for kernel times in benchmarks) are among Dawn's "unsafe" APIs.
    const gpu = create(profiling ? ['enable-dawn-features=allow_unsafe_apis'] : [])
    const nav = ((globalThis as { navigator?: { gpu?: GPU } }).navigator ??= {})
    nav.gpu = gpu
    return gpu
  })()
  return dawn
}

/** Where the Vulkan loader looks for drivers (ICD manifests) on Linux. */
const VULKAN_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d']

/**
 * On Linux without any Vulkan driver, Dawn prints warnings to stderr on every try: say it plainly instead
 * and leave Dawn alone. A driver named by VK_ICD_FILENAMES or VK_DRIVER_FILES counts.
 */
function vulkanDriverMissing(): string | null {
  if (process.platform !== 'linux') return null
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return null
  const dataDirs = (process.env.XDG_DATA_DIRS ?? '').split(':').filter(Boolean).map((d) => join(d, 'vulkan', 'icd.d'))
  const found = [...VULKAN_ICD_DIRS, ...dataDirs].some((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json')))
  return found ? null : `no ICD file in ${VULKAN_ICD_DIRS.join(', ')}`
}

export interface NodeWebgpuOptions {
  /** auto refuses software adapters; an explicit --backend webgpu takes any adapter. */
  allowSoftware: boolean
  /** Kernel times for benchmarks (see WebgpuStartOptions.profiling); only the first start in a process chooses. */
  profiling?: boolean
}

/** Makes webgpu (through Dawn) the active backend; throws BackendUnavailableError. */
export async function startNodeWebgpu(options: NodeWebgpuOptions): Promise<{ detail: string; adapter: GpuAdapterSummary }> {
  if (process.versions.electron) {
    throw new BackendUnavailableError(
      'webgpu: Dawn cannot run inside Electron (its memory cage); the desktop app trains on the GPU in its compute window',
      'process.versions.electron is set',
      'other'
    )
  }
  const noDriver = vulkanDriverMissing()
  if (noDriver) {
    throw new BackendUnavailableError(
      "webgpu: no Vulkan driver is installed; install your GPU's (NVIDIA's driver includes it; AMD and Intel: mesa-vulkan-drivers)",
      noDriver,
      'no-adapter'
    )
  }
  let gpu: GPU
  try {
    gpu = await dawnGpu(options.profiling === true)
  } catch (error) {
    dawn = null
    const detail = error instanceof Error ? error.message : String(error)
    throw new BackendUnavailableError(`webgpu: Dawn's bindings (npm webgpu) failed to load: ${detail}; reinstall with npm install webgpu`, detail, 'load')
  }
  return startWebgpuOn(gpu, { allowSoftware: options.allowSoftware, api: platformGraphicsApi(process.platform), profiling: options.profiling })
}

/** Releases the device and Dawn's navigator.gpu, without which Node would never exit. */
export function stopNodeWebgpu(): void {
  releaseWebgpu()
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator
  if (dawn && nav?.gpu) delete nav.gpu
  dawn = null
}
