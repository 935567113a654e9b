// `npm run bench:gpu-bundle`: packs the GPU benchmark (bench/gpu/run.ts) with everything it needs into one
// archive for a Linux x86-64 machine with an NVIDIA GPU and no network: this Node binary, the benchmark and
// our TF.js code in one script, Dawn's prebuilt bindings (npm webgpu), the Vulkan loader for machines
// without one, and the PyTorch reference script. Run there: tar xzf <archive> && ./gan-studio-gpu-bench/run.sh
'use strict'
const { buildSync } = require('esbuild')
const { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } = require('node:fs')
const { execFileSync } = require('node:child_process')
const { dirname, join } = require('node:path')

const root = join(__dirname, '..', '..')
const outDir = join(root, 'out', 'gpu-bench')
const name = 'gan-studio-gpu-bench'
const bundle = join(outDir, name)
const VULKAN_LOADER = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1'

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(from, to)
}

function buildGpuBundle() {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the GPU bundle is built on Linux x86-64, for Linux x86-64')
  rmSync(outDir, { recursive: true, force: true })
  buildSync({
    absWorkingDir: root,
    entryPoints: { 'gpu-bench': 'bench/gpu/run.ts' },
    outdir: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Loaded at run time by file: Dawn's ESM package with its native binary, and the optional native backends.
    external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    logLevel: 'warning'
  })
  const webgpu = join(root, 'node_modules', 'webgpu')
  for (const file of ['package.json', 'index.js', 'LICENSE.md', join('dist', 'linux-x64', 'dawn.node')]) {
    if (existsSync(join(webgpu, file))) copy(join(webgpu, file), join(bundle, 'node_modules', 'webgpu', file))
  }
  copy(process.execPath, join(bundle, 'node'))
  copy(join(root, 'bench', 'pytorch', 'dcgan_reference.py'), join(bundle, 'dcgan_reference.py'))
  if (existsSync(VULKAN_LOADER)) copy(VULKAN_LOADER, join(bundle, 'lib', 'libvulkan.so.1'))
  writeFileSync(
    join(bundle, 'run.sh'),
    `#!/bin/sh
# GAN Studio's GPU benchmark: ours on WebGPU (Dawn over Vulkan) beside the PyTorch DCGAN tutorial on CUDA.
# Needs no network. Options: --only A|B, --python <python with CUDA torch>, --quick, --allow-software.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# The Vulkan loader: the system's where there is one, else the one that came with this bundle.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi
exec "$here/node" "$here/gpu-bench.js" "$@"
`
  )
  chmodSync(join(bundle, 'run.sh'), 0o755)
  chmodSync(join(bundle, 'node'), 0o755)
  const archive = join(outDir, `${name}-linux-x64.tar.gz`)
  execFileSync('tar', ['czf', archive, '-C', outDir, name])
  const megabytes = (statSync(archive).size / 1e6).toFixed(1)
  console.log(`${archive} (${megabytes} MB)\nOn the GPU machine: tar xzf ${name}-linux-x64.tar.gz && ./${name}/run.sh`)
  return archive
}

module.exports = { buildGpuBundle }
if (require.main === module) buildGpuBundle()
