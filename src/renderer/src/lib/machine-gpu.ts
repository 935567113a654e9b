// Whether the machine that trains has a GPU backend: the core says so for its own (CUDA TensorFlow, WebGPU
// through Dawn). In the desktop app, webgpu trains in the app's own Chromium, which the core's threads
// cannot ask: this window asks its own navigator.gpu, on the same machine.
import type { AppInfo } from '../../../shared/api'
import { isSoftwareAdapter } from '../../../shared/gpu'

async function windowHasHardwareGpu(): Promise<boolean> {
  if (!('gpu' in navigator) || !navigator.gpu) return false
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' })
    return adapter !== null && !isSoftwareAdapter(adapter.info)
  } catch {
    return false
  }
}

export async function machineHasGpu(appInfo: AppInfo): Promise<boolean> {
  if (appInfo.gpuBackends.length > 0) return true
  return appInfo.transport === 'ipc' && windowHasHardwareGpu()
}
