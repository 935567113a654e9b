// Bundles the desktop app's compute window (src/compute: a hidden page whose Web Workers train on Chromium's
// WebGPU) into out/compute: the page, its worker with TF.js and our trainer, and the HTML.
'use strict'
const { buildSync } = require('esbuild')
const { copyFileSync, mkdirSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const outdir = join(root, 'out', 'compute')

function buildCompute() {
  buildSync({
    absWorkingDir: root,
    entryPoints: { 'compute-page': 'src/compute/compute-page.ts', 'compute-worker': 'src/compute/compute-worker.ts' },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    sourcemap: true,
    logLevel: 'warning'
  })
  mkdirSync(outdir, { recursive: true })
  copyFileSync(join(root, 'src', 'compute', 'index.html'), join(outdir, 'index.html'))
}

module.exports = { buildCompute }
if (require.main === module) buildCompute()
