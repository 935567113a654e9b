// GAN Studio's wasm kernels: a Conv2DBackpropFilter (the wasm backend has none), a Conv2DBackpropInput built
// on XNNPACK (the stock one is a scalar loop), and for batch norm a Tile that copies blocks and a Sum and Mean
// that reduce leading axes without transposing. Registering replaces the stock kernels for the whole
// process; unregistering restores them (benchmarks compare the two).
import * as tf from '@tensorflow/tfjs'
// Registers the stock wasm kernels first, so that ours replace them rather than the other way round.
import '@tensorflow/tfjs-backend-wasm'
import { conv2dBackpropFilterXnn, type BackpropFilterArgs } from './conv2d-backprop-filter'
import { conv2dBackpropInputXnn, type BackpropInputArgs } from './conv2d-backprop-input'
import { clearDerivedFilters } from './derived-filters'
import { reduceLeadingAxes, type ReduceArgs } from './reduce-leading-axes'
import { tileByBlocks, type TileArgs } from './tile'

const BACKEND = 'wasm'

type KernelArgs = Parameters<tf.KernelFunc>[0]

/** The stock kernels we replace, kept as fallbacks for arguments ours do not handle. */
const stock = new Map<string, tf.KernelConfig>()

/** A kernel that runs `ours`, or the stock kernel when `ours` returns null. */
function withStockFallback(kernelName: string, ours: (args: KernelArgs) => tf.TensorInfo | null): tf.KernelConfig {
  return {
    kernelName,
    backendName: BACKEND,
    // Stock kernels bind their wasm functions in their setup; they stay our fallbacks, so keep setting them up.
    setupFunc: (backend) => stock.get(kernelName)?.setupFunc?.(backend),
    kernelFunc: (args) => {
      const result = ours(args)
      if (result !== null) return result
      const fallback = stock.get(kernelName)
      if (fallback === undefined) throw new Error(`${kernelName}: these arguments need the stock wasm kernel, which is not registered`)
      return fallback.kernelFunc(args)
    }
  }
}

const ourConfigs: tf.KernelConfig[] = [
  withStockFallback(tf.Conv2DBackpropInput, (args) => conv2dBackpropInputXnn(args as unknown as BackpropInputArgs)),
  // The wasm backend has no Conv2DBackpropFilter at all.
  {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: BACKEND,
    kernelFunc: (args) => conv2dBackpropFilterXnn(args as unknown as BackpropFilterArgs)
  },
  withStockFallback(tf.Tile, (args) => tileByBlocks(args as unknown as TileArgs)),
  withStockFallback(tf.Sum, (args) => reduceLeadingAxes(args as unknown as ReduceArgs, 'sum')),
  withStockFallback(tf.Mean, (args) => reduceLeadingAxes(args as unknown as ReduceArgs, 'mean'))
]

function isOurs(config: tf.KernelConfig): boolean {
  return tf.getKernel(config.kernelName, BACKEND) === config
}

/** Installs our kernels for the wasm backend. Safe to call any number of times. */
export function registerWasmKernels(): void {
  for (const config of ourConfigs) {
    if (isOurs(config)) continue
    const existing = tf.getKernel(config.kernelName, BACKEND)
    if (existing !== undefined) {
      stock.set(config.kernelName, existing)
      // Unregister first: registering over a kernel logs a warning.
      tf.unregisterKernel(config.kernelName, BACKEND)
    }
    tf.registerKernel(config)
  }
}

/** Puts the stock kernels back (Conv2DBackpropFilter goes away: the wasm backend has none). */
export function unregisterWasmKernels(): void {
  clearDerivedFilters()
  for (const config of ourConfigs) {
    if (!isOurs(config)) continue
    tf.unregisterKernel(config.kernelName, BACKEND)
    const original = stock.get(config.kernelName)
    if (original !== undefined) tf.registerKernel(original)
  }
}

export function wasmKernelsRegistered(): boolean {
  return ourConfigs.every(isOurs)
}

export { clearDerivedFilters }
