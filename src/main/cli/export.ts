// `gan-studio export-grid` and `export-samples`: images from a trained generator.
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from '../export/files'
import { gridPng, imagePng } from '../export/png'
import { initBackend } from '../training/backend'
import { decodeGenerator, type LoadedGenerator } from '../training/generator-file'
import { fixedNoise, seededNoise } from '../training/noise'
import { loadCheckpoint, openDatabase, findRun } from '../store'
import { decodeCheckpoint } from '../training/checkpoint'
import { generatorFromCheckpoint } from '../training/generator-file'
import { STORE_HELP, STORE_OPTIONS, storePaths } from './context'
import { intOption, parseCommandLine, requireOption, UsageError, type CommandLine, type OptionSpec } from './usage'

export const EXPORT_GRID_HELP = `Usage: gan-studio export-grid <run> --out <grid.png> [options]
       gan-studio export-grid --from <dir> --out <grid.png> [options]

Writes a PNG grid of generated images (torchvision make_grid layout, pixels mapped from [-1, 1] to 0-255).
  <run>              a run's id or name: its newest checkpoint, or --checkpoint N
  --checkpoint N     the checkpoint at iteration N (\`gan-studio show <run>\` lists them)
  --from <dir>       instead of a run: a folder written by \`gan-studio train --out\` (or its generator.bin)
  --out <file.png>   the PNG to write
  --seed S           draw the latent vectors from seed S (default: the run's fixed noise)
  --count N          number of images (default 64)
  --nrow N           images per row, as make_grid's nrow (default 8); --rows is the same option
  --padding P        pixels between images (default 2)
  --scale K          nearest-neighbour upscale 1-8 (default 1)
  --force            overwrite --out if it exists
${STORE_HELP}`

export const EXPORT_SAMPLES_HELP = `Usage: gan-studio export-samples <run> --count N --out <dir2> [--seed S] [--checkpoint N]
       gan-studio export-samples --from <dir> --count N --out <dir2> [--seed S]

Writes N single generated images as PNG files (sample-0001.png, ...) into <dir2>.
  <run>              a run's id or name: its newest checkpoint, or --checkpoint N
  --checkpoint N     the checkpoint at iteration N
  --from <dir>       instead of a run: a folder written by \`gan-studio train --out\` (or its generator.bin)
  --count N          number of images
  --seed S           draw the latent vectors from seed S (default: the run's fixed noise)
  --scale K          nearest-neighbour upscale 1-8 (default 1)
  --force            overwrite existing files in <dir2>
${STORE_HELP}`

const COMMON: OptionSpec = {
  ...STORE_OPTIONS,
  from: { type: 'string' },
  checkpoint: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  count: { type: 'string' },
  scale: { type: 'string' },
  backend: { type: 'string' },
  force: { type: 'boolean' }
}

/** The generator named on the command line: a run (and checkpoint) in the store, or a --from folder. */
async function chosenGenerator({ values, positionals }: CommandLine): Promise<LoadedGenerator> {
  if (positionals.length > 1) throw new UsageError(`one run at a time: got ${positionals.map((p) => `"${p}"`).join(', ')}`)
  if (positionals.length === 1 && values.from) throw new UsageError('give either <run> or --from, not both')
  if (values.from) return loadGeneratorFrom(String(values.from))
  if (positionals.length === 0) throw new UsageError('<run> is missing: give a run\'s id or name, or --from <dir>')
  return loadGeneratorOfRun(values, positionals[0], intOption(values, 'checkpoint'))
}

async function loadGeneratorOfRun(values: CommandLine['values'], idOrName: string, iteration: number | undefined): Promise<LoadedGenerator> {
  const db = openDatabase(storePaths(values).dbPath)
  try {
    const run = findRun(db, idOrName)
    const checkpoint = loadCheckpoint(db, run.id, iteration)
    if (!checkpoint || !run.channels) throw new Error(`run "${run.name}" has no checkpoint yet; train it a little longer first`)
    await initBackend('auto')
    const { snapshot } = decodeCheckpoint(checkpoint.state)
    return generatorFromCheckpoint(run.config, run.channels, snapshot.iteration, snapshot)
  } finally {
    db.close()
  }
}

async function loadGeneratorFrom(from: string): Promise<LoadedGenerator> {
  const path = resolve(from)
  if (!existsSync(path)) throw new UsageError(`--from: ${path} does not exist`)
  const file = statSync(path).isDirectory() ? join(path, 'generator.bin') : path
  if (!existsSync(file)) {
    throw new UsageError(`--from: ${path} has no generator.bin; give a folder written by \`gan-studio train --out\` after training finished`)
  }
  await initBackend('auto')
  return decodeGenerator(await readFile(file), file)
}

function latents(generator: LoadedGenerator, seed: number | undefined, count: number): Float32Array {
  const { config } = generator.meta
  return seed === undefined ? fixedNoise(config, count) : seededNoise(seed, config.nz, count)
}

function positive(value: number | undefined, name: string, fallback: number, max: number): number {
  const n = value ?? fallback
  if (n < 1 || n > max) throw new UsageError(`--${name} must be between 1 and ${max}, got ${n}`)
  return n
}

export async function exportGridCommand(args: string[], log: (line: string) => void): Promise<void> {
  const commandLine = parseCommandLine(args, { ...COMMON, nrow: { type: 'string' }, rows: { type: 'string' }, padding: { type: 'string' } }, true)
  const { values } = commandLine
  if (values.help) return log(EXPORT_GRID_HELP)
  const out = resolve(requireOption(values, 'out', 'the PNG file to write'))
  const count = positive(intOption(values, 'count'), 'count', 64, 4096)
  const perRow = positive(intOption(values, 'nrow') ?? intOption(values, 'rows'), 'nrow', 8, 4096)
  const padding = intOption(values, 'padding') ?? 2
  if (padding < 0 || padding > 64) throw new UsageError(`--padding must be between 0 and 64, got ${padding}`)
  const scale = positive(intOption(values, 'scale'), 'scale', 1, 8)
  const seed = intOption(values, 'seed')
  const generator = await chosenGenerator(commandLine)
  try {
    const { config, channels } = generator.meta
    const images = generator.generate(latents(generator, seed, count))
    await writeFileAtomic(out, await gridPng(images, count, config.imageSize, channels, { perRow, padding, scale }), { overwrite: Boolean(values.force) })
    log(`Wrote ${out} (${count} images at iteration ${generator.meta.iteration}, ${seed === undefined ? "the run's fixed noise" : `seed ${seed}`})`)
  } finally {
    generator.dispose()
  }
}

export async function exportSamplesCommand(args: string[], log: (line: string) => void): Promise<void> {
  const commandLine = parseCommandLine(args, COMMON, true)
  const { values } = commandLine
  if (values.help) return log(EXPORT_SAMPLES_HELP)
  const outDir = resolve(requireOption(values, 'out', 'the folder to write the images into'))
  requireOption(values, 'count', 'how many images to write')
  const count = positive(intOption(values, 'count'), 'count', 1, 100_000)
  const scale = positive(intOption(values, 'scale'), 'scale', 1, 8)
  const seed = intOption(values, 'seed')
  const generator = await chosenGenerator(commandLine)
  try {
    const { config, channels } = generator.meta
    const vectors = latents(generator, seed, count)
    const chunk = 64 // generate in batches: memory stays small for large counts
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start)
      const images = generator.generate(vectors.subarray(start * config.nz, (start + n) * config.nz))
      for (let i = 0; i < n; i++) {
        const name = `sample-${String(start + i + 1).padStart(4, '0')}.png`
        await writeFileAtomic(join(outDir, name), await imagePng(images, i, config.imageSize, channels, scale), { overwrite: Boolean(values.force) })
      }
    }
    log(`Wrote ${count} images to ${outDir}`)
  } finally {
    generator.dispose()
  }
}
