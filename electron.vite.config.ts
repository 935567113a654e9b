// Builds the three Electron pieces into out/: main (with the training worker as a second entry), the
// sandboxed preloads (fully bundled: the app window's and the compute window's), and the Svelte renderer
// (also served by `gan-studio serve`). The compute window's page is bundled by scripts/build-compute.js.
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

export default defineConfig({
  main: {
    build: {
      // Packages stay in node_modules: TF.js finds its .wasm files there, native addons their binaries.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'training-worker': resolve(__dirname, 'src/main/runs/training-worker.ts'),
          'generator-worker': resolve(__dirname, 'src/main/explore/generator-worker.ts'),
          'timing-worker': resolve(__dirname, 'src/main/timing/timing-worker.ts'),
          'nearest-worker': resolve(__dirname, 'src/main/nearest/nearest-worker.ts')
        }
      }
    }
  },
  preload: {
    // A sandboxed preload can require only 'electron': everything else is bundled in.
    build: {
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts'), compute: resolve(__dirname, 'src/preload/compute.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { outDir: resolve(__dirname, 'out/renderer'), rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.mjs') })]
  }
})
