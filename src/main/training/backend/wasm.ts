// Starting the wasm backend: where its .wasm binaries are, SIMD detection, and our kernels.
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { runtimeRequire } from '../../runtime-require'
import { BackendUnavailableError } from './native'
import { installFastEngine } from '../fast-engine'
import { wasmDcganEngine } from './wasm-dcgan'
import { registerWasmKernels } from './wasm-kernels'
import { abandonWasmThreads, prepareWasmThreads } from './wasm-threads'

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm'

/**
 * The folder holding the package's .wasm files. By default the Emscripten glue looks beside its own
 * script, which is wrong once our code is bundled; resolving the package from here works in both cases.
 */
export function wasmBinaryDirectory(): string {
  return path.join(path.dirname(runtimeRequire.resolve(`${WASM_PACKAGE}/package.json`)), 'dist') + path.sep
}

let pathsSet = false

export interface WasmOptions {
  /**
   * XNNPACK threads (wasm-threads.ts): 2 or more start the multi-threaded build, 1 the single-threaded one;
   * default: defaultWasmThreads(). Only the backend's first start in a process can choose; the description
   * says what it got.
   */
  threads?: number
}

/** Set to a whole number (1 = single-threaded) to override the thread count the wasm backend starts with. */
export const WASM_THREADS_ENV = 'GAN_STUDIO_WASM_THREADS'

/** More threads stop paying off on the small convolutions of a 32 px model. */
const MAX_DEFAULT_THREADS = 8

/** One XNNPACK thread per core (up to 8), or what GAN_STUDIO_WASM_THREADS says. */
export function defaultWasmThreads(): number {
  const fromEnv = process.env[WASM_THREADS_ENV]
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const n = Number(fromEnv)
    if (!Number.isInteger(n) || n < 1) throw new BackendUnavailableError(`${WASM_THREADS_ENV} must be a whole number of at least 1, got "${fromEnv}"`, fromEnv)
    return n
  }
  return Math.max(1, Math.min(os.availableParallelism(), MAX_DEFAULT_THREADS))
}

/** Makes wasm the active backend with our kernels; throws BackendUnavailableError. Returns a description. */
export async function startWasmBackend(options: WasmOptions = {}): Promise<string> {
  // setWasmPaths only counts before the backend's first initialization; later calls change nothing.
  if (!pathsSet) {
    setWasmPaths(wasmBinaryDirectory())
    pathsSet = true
  }
  const threads = options.threads ?? defaultWasmThreads()
  const threaded = tf.findBackend('wasm') === null && threads > 1
  let note = ''
  try {
    if (threaded) {
      let restore = () => {}
      try {
        restore = prepareWasmThreads(threads)
        await withTimeout(activateWasm(), THREADED_START_TIMEOUT_MS, 'the threaded wasm build did not start')
      } catch (error) {
        // Never let threads cost the user the wasm backend itself. (A pthread worker that fails after
        // starting is beyond this: the Emscripten glue rethrows its error and the thread running training
        // ends, which the training worker's host reports as the run's failure.)
        abandonWasmThreads()
        note = `; threads unavailable: ${errorMessage(error)}`
        await activateWasm()
      } finally {
        restore()
      }
    } else {
      await activateWasm()
    }
  } catch (error) {
    const detail = errorMessage(error)
    throw new BackendUnavailableError(
      `the wasm backend failed to start (${detail}): reinstall with npm install ${WASM_PACKAGE}, or use --backend cpu`,
      detail
    )
  }
  registerWasmKernels()
  installFastEngine(wasmDcganEngine)
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'
  const running = getThreadsCount()
  return `wasm (${simd}, ${running} thread${running === 1 ? '' : 's'}, GAN Studio kernels${note})`
}

/**
 * The threaded build's start waits for every pthread worker to load; one that dies while loading would
 * leave it waiting forever. They load in about a second.
 */
const THREADED_START_TIMEOUT_MS = 60_000

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function activateWasm(): Promise<void> {
  const ok = await tf.setBackend('wasm')
  if (!ok) throw new Error('tf.setBackend("wasm") returned false')
  await tf.ready()
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  // The wasm loader rejects with a plain { message } object.
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message)
  return String(error)
}
