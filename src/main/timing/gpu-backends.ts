// Which backends here compute on a GPU, for the new-run form's starting preset: native CUDA TensorFlow
// where its package is installed, and webgpu where a hardware adapter answers. WebGPU is asked once per
// process, in a worker thread, so Dawn's device and handles never live in the caller's thread.
import { BACKEND_DEVICES, type BackendName } from '../../shared/config'
import { availableBackends } from '../training/backend/available'
import { askTimingWorker } from './ask-worker'

/** Asking Dawn for an adapter takes well under a second; a driver that hangs must not hold the app. */
const PROBE_TIMEOUT_MS = 20_000

export interface WebgpuProbe {
  /** The hardware adapter's name, or null. */
  adapter: string | null
  /** Why there is none. */
  reason: string | null
}

let probe: Promise<WebgpuProbe> | null = null

/** Whether a hardware GPU answers to WebGPU in this process's Node (never inside Electron: see webgpu.ts). */
export function probeWebgpu(): Promise<WebgpuProbe> {
  if (process.versions.electron) return Promise.resolve({ adapter: null, reason: 'Electron: the desktop app asks its own window' })
  probe ??= askTimingWorker({ type: 'probe-webgpu' }, PROBE_TIMEOUT_MS, `no answer from WebGPU in ${PROBE_TIMEOUT_MS / 1000} s`)
    .then((answer) => ('webgpu' in answer ? answer.webgpu : { adapter: null, reason: 'the worker answered something else' }))
    .catch((error: unknown) => ({ adapter: null, reason: error instanceof Error ? error.message : String(error) }))
  return probe
}

export async function gpuBackends(): Promise<BackendName[]> {
  const installed = availableBackends().filter((name) => BACKEND_DEVICES[name] === 'gpu')
  return (await probeWebgpu()).adapter !== null ? [...installed, 'webgpu'] : installed
}
