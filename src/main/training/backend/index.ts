// Choosing and starting the TF.js backend: best available first (native GPU, WebGPU on a hardware adapter,
// native CPU, wasm, plain JS), or exactly the one asked for, with a message saying how to get it when it is
// missing.
import * as tf from '@tensorflow/tfjs'
import type { BackendChoice, BackendName } from '../../../shared/config'
import { BackendUnavailableError, NATIVE_PACKAGES, startNativeBackend, type NativeBackendName } from './native'
import { defaultWasmThreads, startWasmBackend, type WasmOptions } from './wasm'
import { startNodeWebgpu, stopNodeWebgpu } from './webgpu'
import type { GpuAdapterSummary } from './webgpu-device'

export type { BackendName }
export { BackendUnavailableError }

export interface BackendInfo {
  /** The backend in use, as the config names it. */
  name: BackendName
  /** TF.js's own name for it (tf.getBackend()). */
  tfBackend: string
  /** For people: e.g. 'wasm (SIMD, 1 thread, GAN Studio kernels)', 'webgpu (NVIDIA GeForce RTX 4070, Vulkan)'. */
  detail: string
  /** The GPU, for webgpu. */
  adapter?: GpuAdapterSummary
  /** Started through BackendOptions.webgpu: it runs elsewhere, not in this thread. */
  elsewhere?: boolean
  /** Backends tried before this one and why each could not be used (auto only). */
  tried: { name: BackendName; error: string; detail: string; stage: BackendUnavailableError['stage'] }[]
}

/**
 * One line per backend that 'auto' passed over although it is installed (a native package that failed to
 * load or start): a user who installed tfjs-node should hear why it is not used. Missing ones get no line.
 */
export function passedOverNotes(info: BackendInfo): string[] {
  return info.tried.flatMap((t) => {
    const short = t.name in NATIVE_PACKAGES ? NATIVE_PACKAGES[t.name as NativeBackendName].replace('@tensorflow/', '') : t.name
    if (t.stage === 'missing') return []
    // WebGPU has no package to install: where it is passed over, the reason (no adapter, a software one) is news.
    if (t.stage === 'no-adapter' || t.stage === 'software') return [`${t.error}; using ${info.name}`]
    if (t.stage === 'load') return [`${short} is installed but failed to load: ${t.detail}; using ${info.name}`]
    if (t.stage === 'start') return [`${short} loaded but its backend failed to start: ${t.detail}; using ${info.name}`]
    return [`${t.error}; using ${info.name}`]
  })
}

/** Best first. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']

export type Started = Pick<BackendInfo, 'detail' | 'adapter' | 'elsewhere'>

export interface BackendOptions {
  /** Threads for the wasm backend (see wasm-threads.ts); default: one per core, up to 8, or GAN_STUDIO_WASM_THREADS. */
  wasmThreads?: number
  /**
   * Where webgpu starts, when not here through Dawn: the desktop app's compute window (Chromium's WebGPU).
   * The backend then runs there, and so must the trainer (BackendInfo.elsewhere).
   */
  webgpu?: (allowSoftware: boolean) => Promise<Started>
}

async function start(name: BackendName, options: BackendOptions, explicit: boolean): Promise<Started> {
  switch (name) {
    case 'tensorflow-gpu':
      await startNativeBackend(name)
      return { detail: 'tfjs-node-gpu (native TensorFlow, CUDA)' }
    case 'webgpu':
      // auto wants a real GPU; asked for by name, any adapter will do (a software one runs the tests).
      if (options.webgpu) return { ...(await options.webgpu(explicit)), elsewhere: true }
      return startNodeWebgpu({ allowSoftware: explicit })
    case 'tensorflow':
      await startNativeBackend(name)
      return { detail: 'tfjs-node (native TensorFlow, CPU)' }
    case 'wasm':
      return { detail: await startWasmBackend({ threads: options.wasmThreads } satisfies WasmOptions) }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError('the cpu backend failed to start', '')
      await tf.ready()
      return { detail: 'cpu (plain JavaScript, slowest)' }
  }
}

/**
 * Makes `choice` the active backend ('auto': the best one that starts). Safe to call again, with the same
 * or another choice. An explicit choice that cannot start throws an Error saying what failed and the fix.
 */
export async function initBackend(choice: BackendChoice = 'auto', options: BackendOptions = {}): Promise<BackendInfo> {
  // Read first: a mistyped GAN_STUDIO_WASM_THREADS must stop here, not make 'auto' skip wasm for cpu.
  options = { ...options, wasmThreads: options.wasmThreads ?? defaultWasmThreads() }
  if (choice !== 'auto') {
    const started = await start(choice, options, true)
    return { name: choice, tfBackend: tf.getBackend(), ...started, tried: [] }
  }
  const tried: BackendInfo['tried'] = []
  for (const name of AUTO_ORDER) {
    try {
      const started = await start(name, options, false)
      return { name, tfBackend: tf.getBackend(), ...started, tried }
    } catch (error) {
      const known = error instanceof BackendUnavailableError ? error : null
      const message = error instanceof Error ? error.message : String(error)
      tried.push({ name, error: message, detail: known?.detail ?? message, stage: known?.stage ?? 'other' })
    }
  }
  throw new Error(`no TF.js backend could start: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`)
}

/** Frees what a backend holds that would keep the process (or thread) alive: Dawn's GPU device. */
export function releaseBackends(): void {
  stopNodeWebgpu()
}
