// Starting the wasm backend: where its .wasm binaries are, SIMD detection, and our kernels.
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { BackendUnavailableError, runtimeRequire } from './native'
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
   * EXPERIMENTAL (wasm-threads.ts): XNNPACK threads, 2 or more for the multi-threaded build. Only the
   * backend's first start in a process can choose; the description says what it got.
   */
  threads?: number
}

/** Makes wasm the active backend with our kernels; throws BackendUnavailableError. Returns a description. */
export async function startWasmBackend(options: WasmOptions = {}): Promise<string> {
  // setWasmPaths only counts before the backend's first initialization; later calls change nothing.
  if (!pathsSet) {
    setWasmPaths(wasmBinaryDirectory())
    pathsSet = true
  }
  const threaded = tf.findBackend('wasm') === null && (options.threads ?? 1) > 1
  let note = ''
  try {
    if (threaded) {
      let restore = () => {}
      try {
        restore = prepareWasmThreads(options.threads!)
        await activateWasm()
      } catch (error) {
        // Experimental: never let it cost the user the wasm backend itself. (A pthread worker that fails
        // after starting is beyond this: the Emscripten glue rethrows its error and the process ends.)
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
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'
  const threads = getThreadsCount()
  return `wasm (${simd}, ${threads} thread${threads === 1 ? '' : 's'}, GAN Studio kernels${note})`
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
