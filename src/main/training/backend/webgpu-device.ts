// Starting TF.js's webgpu backend on a GPU adapter we chose and named, wherever a navigator.gpu exists: Dawn
// in Node (webgpu.ts) or Chromium's own in the desktop app's compute worker. No Node imports.
//
// We create the device ourselves instead of letting the backend's own factory do it: auto must first see the
// adapter (a software one is refused), the user must see its name, and a lost device or a GPU error must end
// every pending read (read.ts) instead of leaving training waiting forever.
import * as tf from '@tensorflow/tfjs'
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu'
import { isSoftwareAdapter } from '../../../shared/gpu'
import { GpuFaultError } from '../gpu-fault'
import { setDeviceGuard, type DeviceGuard } from '../read'
import { BackendUnavailableError } from './errors'


export interface GpuAdapterSummary {
  /** For people: "NVIDIA GeForce RTX 4070", or vendor and architecture where the name is hidden. */
  name: string
  /** The graphics API underneath: Vulkan, Metal or Direct3D 12. */
  api: string
  software: boolean
}

export function summarizeAdapter(adapter: GPUAdapter, api: string): GpuAdapterSummary {
  const info = adapter.info
  const described = [info.description, [info.vendor, info.architecture].filter(Boolean).join(' '), info.device].find((s) => s && s.trim())
  return { name: described?.trim() ?? 'unnamed GPU', api, software: isSoftwareAdapter(info) }
}

/** The API a WebGPU implementation uses on this platform (Dawn's and Chromium's defaults). */
export function platformGraphicsApi(platform: string): string {
  if (/darwin|mac/i.test(platform)) return 'Metal'
  if (/win/i.test(platform)) return 'Direct3D 12'
  return 'Vulkan'
}

export function webgpuDetail(adapter: GpuAdapterSummary): string {
  return `webgpu (${adapter.name}, ${adapter.api}${adapter.software ? ', software adapter: slow' : ''})`
}

interface ActiveDevice {
  device: GPUDevice
  adapter: GpuAdapterSummary
  lost: boolean
  /** It reported an error (out of memory): what it holds cannot be trusted, the next start takes a new one. */
  faulted: boolean
}

let active: ActiveDevice | null = null

export interface WebgpuStartOptions {
  /** auto refuses software adapters; an explicit --backend webgpu takes any adapter (tests run on one). */
  allowSoftware: boolean
  /** The graphics API underneath, for the description (see platformGraphicsApi). */
  api: string
  /** Ask for GPU timestamps where the adapter has them, so that tf.time reports kernel times (benchmarks). */
  profiling?: boolean
}

/** Makes webgpu the active backend on this GPU; throws BackendUnavailableError. Returns the description. */
export async function startWebgpuOn(gpu: GPU, options: WebgpuStartOptions): Promise<{ detail: string; adapter: GpuAdapterSummary }> {
  // Once started, the same device serves every later start in this thread, unless it was lost.
  if (active && !active.lost && !active.faulted && webgpuRegistered()) {
    refuseSoftware(active.adapter, options)
    await activate()
    return { detail: webgpuDetail(active.adapter), adapter: active.adapter }
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) {
    throw new BackendUnavailableError(
      'webgpu: no GPU adapter was found (no GPU, or no driver for it: on Linux, install its Vulkan driver)',
      'navigator.gpu.requestAdapter() returned null',
      'no-adapter'
    )
  }
  const summary = summarizeAdapter(adapter, options.api)
  refuseSoftware(summary, options)
  let device: GPUDevice
  try {
    const limits = adapter.limits
    // The limits TF.js's own factory asks for: the adapter's, not WebGPU's small defaults.
    const profiling = options.profiling === true && adapter.features.has('timestamp-query')
    device = await adapter.requestDevice({
      requiredFeatures: profiling ? ['timestamp-query'] : [],
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup
      }
    })
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new BackendUnavailableError(`webgpu: the GPU (${summary.name}) refused to open a device: ${detail}`, detail, 'start')
  }
  if (active && !active.lost) active.device.destroy()
  const current: ActiveDevice = { device, adapter: summary, lost: false, faulted: false }
  setDeviceGuard(watchDevice(current))
  // A lost device leaves a backend that can do nothing: drop it, so the next start builds a new one.
  removeWebgpuBackend()
  // Priority 0: never chosen by TF.js on its own, only by an explicit start.
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 0)
  active = current
  await activate()
  return { detail: webgpuDetail(summary), adapter: summary }
}

function refuseSoftware(adapter: GpuAdapterSummary, options: WebgpuStartOptions): void {
  if (adapter.software && !options.allowSoftware) {
    throw new BackendUnavailableError(
      `webgpu: the only GPU adapter is a software one (${adapter.name}), slower than the CPU backends; ` +
        'install your GPU\'s driver, or choose --backend webgpu to use it anyway',
      adapter.name,
      'software'
    )
  }
}

async function activate(): Promise<void> {
  let ok = false
  try {
    ok = await tf.setBackend('webgpu')
    await tf.ready()
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new BackendUnavailableError(`webgpu: the TF.js webgpu backend failed to start (${detail}); use --backend wasm`, detail, 'start')
  }
  if (!ok) throw new BackendUnavailableError('webgpu: the TF.js webgpu backend failed to start; use --backend wasm', 'tf.setBackend returned false', 'start')
}

/** Ends every pending read when the device is lost, and turns uncaptured GPU errors into faults. */
function watchDevice(current: ActiveDevice): DeviceGuard {
  let pending: GpuFaultError | null = null
  const lost = current.device.lost.then((info) => {
    current.lost = true
    throw new GpuFaultError(
      `the GPU (${current.adapter.name}) stopped working: its device was lost (${info.reason === 'destroyed' ? 'destroyed' : 'driver reset, sleep or removal'}${info.message ? `: ${info.message}` : ''})`,
      'device-lost'
    )
  })
  // Nobody may be reading when it happens: the next read finds it.
  lost.catch(() => undefined)
  current.device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error
    const outOfMemory = error.constructor?.name === 'GPUOutOfMemoryError'
    current.faulted = true
    pending ??= new GpuFaultError(
      outOfMemory
        ? `the GPU (${current.adapter.name}) ran out of memory (${error.message}); a smaller batch size or image size fits`
        : `the GPU (${current.adapter.name}) reported an error: ${error.message}`,
      outOfMemory ? 'out-of-memory' : 'gpu-error'
    )
  })
  return {
    backend: 'webgpu',
    lost: lost as Promise<never>,
    check: () => {
      if (current.lost) throw new GpuFaultError(`the GPU (${current.adapter.name}) stopped working: its device was lost`, 'device-lost')
      if (pending) throw pending
    }
  }
}

/** The device training runs on, while webgpu is the active backend (tests destroy it to play a lost GPU). */
export function activeGpuDevice(): GPUDevice | null {
  return active && !active.lost && !active.faulted ? active.device : null
}

/** Lets the process (or worker) exit: the device and the backend go. */
export function releaseWebgpu(): void {
  if (!active) return
  setDeviceGuard(null)
  const { device } = active
  active = null
  removeWebgpuBackend()
  device.destroy()
}

/** Not tf.findBackend: that would start a registered factory (the package's own registers one in browsers). */
function webgpuRegistered(): boolean {
  return tf.engine().registryFactory['webgpu'] !== undefined
}

function removeWebgpuBackend(): void {
  if (!webgpuRegistered()) return
  try {
    tf.removeBackend('webgpu')
  } catch {
    // Disposing a backend whose device is gone may fail; it is gone either way.
  }
}
