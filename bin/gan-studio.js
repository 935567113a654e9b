#!/usr/bin/env node
// The `gan-studio` command. In a checkout the TypeScript sources are bundled on first use (and again
// whenever a source file is newer than the bundle), so `npx gan-studio` works right after `npm install`.
'use strict'
const { existsSync, readdirSync, statSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const outDir = join(root, 'out', 'cli')
const entry = join(outDir, 'gan-studio.js')

function newestSource(dir) {
  let newest = 0
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name)
    if (item.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

function bundleIsStale() {
  if (!existsSync(join(root, 'src'))) return false
  if (!existsSync(entry)) return true
  const built = statSync(entry).mtimeMs
  return ['src/main', 'src/shared'].some((dir) => newestSource(join(root, dir)) > built)
}

if (bundleIsStale()) require(join(root, 'scripts', 'build-cli.js')).buildCli()
process.setSourceMapsEnabled(true)
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code
  })
