import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { initBackend, passedOverNotes } from '.'
import { runtimeRequire } from '../../runtime-require'
import { NATIVE_PACKAGES } from './native'
import { wasmBinaryDirectory } from './wasm'
import { wasmKernelsRegistered } from './wasm-kernels'

function installed(packageName: string): boolean {
  try {
    runtimeRequire.resolve(packageName)
    return true
  } catch {
    return false
  }
}
const nativeInstalled = Object.values(NATIVE_PACKAGES).some(installed)

describe('initBackend', () => {
  it.skipIf(nativeInstalled)('auto picks wasm when no native backend is installed, and says why', async () => {
    const info = await initBackend('auto')
    expect(info.name).toBe('wasm')
    expect(info.tfBackend).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(info.detail).toMatch(/^wasm \((SIMD|no SIMD), \d+ threads?, GAN Studio kernels\)$/)
    expect(info.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow'])
    expect(info.tried[0].error).toMatch(/tfjs-node-gpu is not installed: npm install @tensorflow\/tfjs-node-gpu/)
    // No GPU here: no adapter at all, or (where a software Vulkan driver is set up) only a software one.
    expect(info.tried[1].stage).toMatch(/^(no-adapter|software)$/)
    expect(info.tried[2].error).toMatch(/tfjs-node is not installed: npm install @tensorflow\/tfjs-node,/)
    expect(wasmKernelsRegistered()).toBe(true)
  })

  it.skipIf(nativeInstalled)('an explicit native choice that is missing throws how to fix it', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(
      'tfjs-node is not installed: npm install @tensorflow/tfjs-node, or use the wasm backend (--backend wasm)'
    )
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(/tfjs-node-gpu is not installed/)
  })

  it('can be called again, with the same or another backend', async () => {
    const first = await initBackend('wasm')
    const again = await initBackend('wasm')
    expect(again).toEqual(first)
    expect(again.tried).toEqual([])

    const cpu = await initBackend('cpu')
    expect(cpu).toMatchObject({ name: 'cpu', tfBackend: 'cpu', tried: [] })
    expect(tf.getBackend()).toBe('cpu')

    const back = await initBackend('wasm')
    expect(back.tfBackend).toBe('wasm')
    // Kernels run after switching back and forth.
    const y = tf.conv2dTranspose(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, tf.ones([4, 4, 1, 1]) as tf.Tensor4D, [1, 4, 4, 1], 2, 'same')
    expect(y.shape).toEqual([1, 4, 4, 1])
    tf.dispose(y)
  })
})

describe('wasm binaries', () => {
  it('are found by resolving the package, not relative to the running script', () => {
    const dir = wasmBinaryDirectory()
    for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      expect(existsSync(path.join(dir, file)), file).toBe(true)
    }
  })
})

describe('native packages', () => {
  it('are never imported statically (bundlers would try to resolve them)', () => {
    const sources: string[] = []
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) sources.push(full)
      }
    }
    walk(__dirname)
    for (const file of sources) {
      const text = readFileSync(file, 'utf8')
      expect(text, file).not.toMatch(/(from|import|require\()\s*['"]@tensorflow\/tfjs-node/)
    }
  })
})

describe('passedOverNotes', () => {
  it('names installed backends that auto passed over, and stays quiet about missing ones', () => {
    const notes = passedOverNotes({
      name: 'wasm',
      tfBackend: 'wasm',
      detail: 'wasm (SIMD, 2 threads)',
      tried: [
        { name: 'tensorflow-gpu', error: 'tfjs-node-gpu is not installed: …', detail: 'Cannot find module', stage: 'missing' },
        { name: 'tensorflow', error: 'tfjs-node is installed but failed to load (…)', detail: 'libtensorflow.so.2: cannot open shared object file', stage: 'load' }
      ]
    })
    expect(notes).toEqual(['tfjs-node is installed but failed to load: libtensorflow.so.2: cannot open shared object file; using wasm'])
    const started = passedOverNotes({
      name: 'cpu',
      tfBackend: 'cpu',
      detail: 'cpu',
      tried: [{ name: 'tensorflow', error: '…', detail: 'no kernel for Conv2D', stage: 'start' }]
    })
    expect(started).toEqual(['tfjs-node loaded but its backend failed to start: no kernel for Conv2D; using cpu'])
  })
})
