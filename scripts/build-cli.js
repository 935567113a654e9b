// Bundles the CLI (and the worker threads it starts) with esbuild into out/cli. Packages stay external:
// TF.js must find its .wasm files and native addons next to their own package.
'use strict'
const { buildSync } = require('esbuild')
const { join } = require('node:path')

const root = join(__dirname, '..')

function buildCli() {
  buildSync({
    absWorkingDir: root,
    entryPoints: {
      'gan-studio': 'src/main/cli/index.ts',
      'training-worker': 'src/main/runs/training-worker.ts',
      'generator-worker': 'src/main/explore/generator-worker.ts',
      'timing-worker': 'src/main/timing/timing-worker.ts',
      'nearest-worker': 'src/main/nearest/nearest-worker.ts'
    },
    outdir: join(root, 'out', 'cli'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning'
  })
}

module.exports = { buildCli }
if (require.main === module) buildCli()
