// `gan-studio export-grid` and `export-samples`: images from a trained generator.
import { join, resolve } from 'node:path'
import { BACKENDS } from '../../shared/config'
import { classLabel, GRID_IMAGES_PER_CLASS, latentLength, latentsWithClasses, perClassLatents } from '../../shared/classes'
import { gridLayout } from '../../shared/grid'
import { fixedNoise, seededNoise } from '../../shared/noise'
import { writeFileAtomic } from '../export/files'
import { gridPng, imagePng } from '../export/png'
import { STORE_HELP, STORE_OPTIONS } from './context'
import { chosenGenerator, classOption, describeClassList, vectorList, type ChosenGenerator } from './generator-source'
import { intOption, parseCommandLine, requireOption, UsageError, type CommandLine, type OptionSpec } from './usage'

export const BACKEND_HELP = `  --raw              the trained generator, not its moving average (runs trained with --ema)
  --backend B        ${BACKENDS.join(' | ')} (default auto: the fastest that loads)`

export const EXPORT_GRID_HELP = `Usage: gan-studio export-grid <run> --out <grid.png> [options]
       gan-studio export-grid --from <dir> --out <grid.png> [options]

Writes a PNG grid of generated images (torchvision make_grid layout, pixels mapped from [-1, 1] to 0-255).
  <run>              a run's id or name: its newest checkpoint, or --checkpoint N
  --checkpoint N     the checkpoint at iteration N (\`gan-studio show <run>\` lists them)
  --from <dir>       instead of a run: a folder written by \`gan-studio train --out\` (or its generator.bin)
  --out <file.png>   the PNG to write
  --seed S           draw the latent vectors from seed S (default: the run's fixed noise)
  --vectors a,b,...  exactly these vectors: saved names, seed:N or fixed:K (seed:N@C: as class C)
  --count N          number of images (default 64; with --per-class, images per class, default 8)
  --per-class        a conditional run: one row per class, the same latent vectors in every row (the
                     default for a conditional run)
  --class C          a conditional run: every image of class C (\`gan-studio show\` lists the classes)
  --nrow N           images per row, as make_grid's nrow (default 8)
  --rows R           R rows instead: ceil(count / R) images per row (give --rows or --nrow, not both)
  --padding P        pixels between images (default 2)
  --pad-color C      padding colour, #rrggbb (default #000000)
  --scale K          nearest-neighbour upscale 1-8 (default 1)
  --force            overwrite --out if it exists
${BACKEND_HELP}
${STORE_HELP}`

export const EXPORT_SAMPLES_HELP = `Usage: gan-studio export-samples <run> --count N --out <dir2> [--class C] [--seed S] [--checkpoint N]
       gan-studio export-samples --from <dir> --count N --out <dir2> [--seed S]

Writes N single generated images as PNG files (sample-0001.png, ...) into <dir2>.
  <run>              a run's id or name: its newest checkpoint, or --checkpoint N
  --checkpoint N     the checkpoint at iteration N
  --from <dir>       instead of a run: a folder written by \`gan-studio train --out\` (or its generator.bin)
  --count N          number of images
  --class C          a conditional run: images of class C; without it, the classes take turns
                     (sample-0001-class-0.png, sample-0002-class-1.png, ...)
  --seed S           draw the latent vectors from seed S (default: the run's fixed noise)
  --scale K          nearest-neighbour upscale 1-8 (default 1)
  --force            overwrite existing files in <dir2>
${BACKEND_HELP}
${STORE_HELP}`

export const COMMON: OptionSpec = {
  ...STORE_OPTIONS,
  from: { type: 'string' },
  checkpoint: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  count: { type: 'string' },
  scale: { type: 'string' },
  backend: { type: 'string' },
  raw: { type: 'boolean' },
  class: { type: 'string' },
  force: { type: 'boolean' }
}

/** `count` z vectors: the run's fixed noise, or seed S's. */
function noise(generator: ChosenGenerator, seed: number | undefined, count: number): Float32Array {
  const { config } = generator.meta
  return seed === undefined ? fixedNoise(config, count) : seededNoise(seed, config.nz, count)
}

/** `count` latent vectors for a generator: z alone, or for a conditional one z and class `classOf(i)`. */
function latents(generator: ChosenGenerator, seed: number | undefined, count: number, classOf: (i: number) => number): Float32Array {
  const { config, classes } = generator.meta
  const z = noise(generator, seed, count)
  return classes.length === 0 ? z : latentsWithClasses(z, config.nz, classes.length, count, classOf)
}

/** Latent vectors back to back, as the generator takes them. */
export function concat(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.reduce((n, v) => n + v.length, 0))
  vectors.reduce((offset, v) => (out.set(v, offset), offset + v.length), 0)
  return out
}

/** --padding and --pad-color, checked. */
export function paddingOptions(values: CommandLine['values']): { padding: number; padColor: [number, number, number] } {
  const padding = intOption(values, 'padding') ?? 2
  if (padding < 0 || padding > 64) throw new UsageError(`--padding must be between 0 and 64, got ${padding}`)
  const color = String(values['pad-color'] ?? '#000000')
  const hex = /^#?([0-9a-f]{6})$/i.exec(color)
  if (!hex) throw new UsageError(`--pad-color must be a colour like #ffffff, got "${color}"`)
  const n = parseInt(hex[1], 16)
  return { padding, padColor: [(n >> 16) & 255, (n >> 8) & 255, n & 255] }
}

export function positive(value: number | undefined, name: string, fallback: number, max: number): number {
  const n = value ?? fallback
  if (n < 1 || n > max) throw new UsageError(`--${name} must be between 1 and ${max}, got ${n}`)
  return n
}

/**
 * --nrow N: images per row, as torchvision's make_grid nrow (the app's "Per row"); --rows R: R rows, so
 * ceil(count / R) per row. With counts that do not divide evenly the last row is shorter, and fewer rows
 * may be needed (10 images in 6 rows: 2 per row makes 5 rows).
 */
export function perRowOption(values: CommandLine['values']): (count: number) => number {
  const nrow = intOption(values, 'nrow')
  const rows = intOption(values, 'rows')
  if (nrow !== undefined && rows !== undefined) throw new UsageError('give either --rows (how many rows) or --nrow (images per row), not both')
  if (rows !== undefined) {
    const r = positive(rows, 'rows', 1, 4096)
    return (count) => Math.ceil(count / r)
  }
  const perRow = positive(nrow, 'nrow', 8, 4096)
  return () => perRow
}

export async function exportGridCommand(args: string[], log: (line: string) => void): Promise<void> {
  const commandLine = parseCommandLine(
    args,
    { ...COMMON, nrow: { type: 'string' }, rows: { type: 'string' }, padding: { type: 'string' }, 'pad-color': { type: 'string' }, vectors: { type: 'string' }, 'per-class': { type: 'boolean' } },
    true
  )
  const { values } = commandLine
  if (values.help) return log(EXPORT_GRID_HELP)
  const out = resolve(requireOption(values, 'out', 'the PNG file to write'))
  const countGiven = intOption(values, 'count')
  const perRowFor = perRowOption(values)
  const { padding, padColor } = paddingOptions(values)
  const scale = positive(intOption(values, 'scale'), 'scale', 1, 8)
  const seed = intOption(values, 'seed')
  if (seed !== undefined && values.vectors) throw new UsageError('give either --seed or --vectors, not both')
  if (values['per-class'] && (values.class !== undefined || values.vectors)) throw new UsageError('--per-class draws every class: give it without --class and --vectors')
  const generator = await chosenGenerator(commandLine)
  try {
    const { config, channels, classes } = generator.meta
    const chosenClass = classOption(values, generator)
    if (values['per-class'] && classes.length === 0) throw new UsageError('--per-class: this generator is not conditional (its run trained without --conditional), so it has no classes')
    // A conditional run's grid shows its classes, a row each, unless one class or exact vectors are asked for.
    const perClass = classes.length > 0 && chosenClass === undefined && !values.vectors
    if (perClass && (values.nrow !== undefined || values.rows !== undefined)) throw new UsageError('a grid per class has one row per class: give --count (images per class) instead of --nrow or --rows')
    const count = positive(countGiven, 'count', perClass ? GRID_IMAGES_PER_CLASS : 64, 4096)
    const chosen = values.vectors ? vectorList(generator, String(values.vectors), 'vectors', 1, chosenClass) : null
    const vectors = chosen
      ? concat(chosen)
      : perClass
        ? perClassLatents(noise(generator, seed, count), config.nz, classes.length, count)
        : latents(generator, seed, count, () => chosenClass ?? 0)
    const n = vectors.length / latentLength(config.nz, classes.length)
    const perRow = perClass ? count : perRowFor(n)
    const images = await generator.generate(vectors)
    await writeFileAtomic(out, await gridPng(images, n, config.imageSize, channels, { perRow, padding, padColor, scale }), { overwrite: Boolean(values.force) })
    const from = seed === undefined ? "the run's fixed noise" : `seed ${seed}`
    const what = chosen
      ? `vectors ${values.vectors}`
      : perClass
        ? `one row per class (${describeClassList(classes)}), ${from}`
        : chosenClass !== undefined
          ? `class ${classLabel(classes, chosenClass)}, ${from}`
          : from
    const { rows, columns } = gridLayout(n, config.imageSize, config.imageSize, { perRow })
    log(`Wrote ${out} (${n} images in ${rows} row${rows === 1 ? '' : 's'} of ${columns} at iteration ${generator.meta.iteration}, ${what})`)
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
    const { config, channels, classes } = generator.meta
    const chosenClass = classOption(values, generator)
    // Without --class, a conditional run's classes take turns and each file says its class.
    const classOfSample = (i: number) => chosenClass ?? i % classes.length
    const vectors = latents(generator, seed, count, classOfSample)
    const length = latentLength(config.nz, classes.length)
    const chunk = 64 // generate in batches: memory stays small for large counts
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start)
      const images = await generator.generate(vectors.subarray(start * length, (start + n) * length))
      for (let i = 0; i < n; i++) {
        const tag = classes.length > 0 && chosenClass === undefined ? `-class-${classOfSample(start + i)}` : ''
        const name = `sample-${String(start + i + 1).padStart(4, '0')}${tag}.png`
        await writeFileAtomic(join(outDir, name), await imagePng(images, i, config.imageSize, channels, scale), { overwrite: Boolean(values.force) })
      }
    }
    const which = classes.length === 0 ? '' : chosenClass === undefined ? ` (the ${classes.length} classes in turn)` : ` of class ${classLabel(classes, chosenClass)}`
    log(`Wrote ${count} images${which} to ${outDir}`)
  } finally {
    generator.dispose()
  }
}
