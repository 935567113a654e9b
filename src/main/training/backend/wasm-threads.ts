// The wasm backend's multi-threaded build in Node: XNNPACK runs each convolution on every core. On by
// default where there are 2 or more cores (wasm.ts); GAN_STUDIO_WASM_THREADS=1 turns it off.
//
// XNNPACK splits a convolution into output tiles, each computed whole by one thread in the same order
// whatever the thread count, so results are bit-identical with any number of threads (the engine's tests
// and the trainer's resume test check it).
//
// TF.js never picks it in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there) and it would fail anyway:
// - the Emscripten glue starts its pthread workers from a blob: URL, which Node's Worker refuses
//   (ERR_WORKER_PATH), and then sends each worker the main script as a Blob it cannot importScripts;
// - the C++ side caps the thread count at os.cpus().length / 2 (it assumes hyperthreading).
// We give the glue a Worker that runs the worker script from source (eval: true) and loads the glue from
// its file, and report enough cores while the module initializes. Must run before the wasm backend's
// first initialization: the build and thread count are chosen once per process.
import os from 'node:os'
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { runtimeRequire } from '../../runtime-require'

const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out'

let installed = false

/** Asks for `threads` XNNPACK threads; call before the wasm backend starts. Returns a restore function for os.cpus. */
export function prepareWasmThreads(threads: number): () => void {
  if (!Number.isInteger(threads) || threads < 2) throw new Error(`wasm threads must be a whole number of at least 2, got ${threads}`)
  installEmscriptenWorker()
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
  setThreadsCount(threads)
  // Read once, while the module's static constructors run during initialization.
  const cpus = os.cpus
  os.cpus = () => {
    const real = cpus()
    return Array.from({ length: Math.max(real.length, 2 * threads) }, (_, i) => real[i % real.length])
  }
  return () => {
    os.cpus = cpus
  }
}

/** Back to the single-threaded build, after the threaded one failed to start. */
export function abandonWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  setThreadsCount(1)
}

function installEmscriptenWorker(): void {
  if (installed) return
  installed = true
  const gluePath = runtimeRequire.resolve(`${WASM_OUT}/tfjs-backend-wasm-threaded-simd.js`)
  const { wasmWorkerContents } = runtimeRequire(`${WASM_OUT}/tfjs-backend-wasm-threaded-simd.worker.js`) as {
    wasmWorkerContents: string
  }
  // The same escaping TF.js applies before making its blob: newlines inside the script's string literals.
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n')

  class EmscriptenWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      if (typeof url === 'string' && url.startsWith('blob:')) super(workerSource, { ...options, eval: true })
      else super(url, options)
      this.unref()
    }

    // The glue refs a worker while its pthread runs, and XNNPACK's pool threads run until the process
    // ends, so the process would never exit on its own. Kernels wait for their threads synchronously:
    // nothing is ever left pending on a worker, so it is safe to never hold the process open for them.
    override ref(): void {}

    override postMessage(message: unknown, transferList?: readonly (ArrayBuffer | import('node:worker_threads').MessagePort)[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null
      if (m?.cmd === 'load' && typeof m.urlOrBlob !== 'string') message = { ...m, urlOrBlob: gluePath }
      super.postMessage(message, transferList as never)
    }
  }

  // The glue assigns global.Worker = worker_threads.Worker when it starts; keep ours in place.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => EmscriptenWorker,
    set: () => {}
  })
}
