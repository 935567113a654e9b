// `gan-studio export-strip`, `export-gif`, `export-model` and `export-metrics`: the explore screen's exports
// from the command line.
import { resolve } from 'node:path'
import { keyframePath, interpolationFrames, type InterpolationMode } from '../../shared/latent'
import { animatedGif, interpolationStripPng } from '../export/animation'
import { runMetricsCsv } from '../export/csv'
import { writeFileAtomic } from '../export/files'
import { exportGeneratorModel } from '../export/tfjs-model'
import { findRun, readMetrics, readScalars } from '../store'
import { openStore, STORE_HELP, STORE_OPTIONS } from './context'
import { BACKEND_HELP, COMMON, concat, paddingOptions, positive } from './export'
import { checkDirectionOptions, DIRECTION_HELP, DIRECTION_OPTIONS, walkFrames } from './direction-walk'
import { chosenGenerator, classOption, vectorList } from './generator-source'
import { choiceOption, intOption, numberOption, parseCommandLine, requireOption, UsageError } from './usage'

const VECTORS_HELP = `Vectors are saved names (from the explore screen), seed:N (the first vector of seed N) or fixed:K
(the run's K-th fixed-noise vector). A conditional run's vectors take a class: seed:N@C draws seed N as
class C (a saved vector keeps its own), --class C gives every vector without one that class; a@3,a@5
interpolates between two classes (their label embeddings).`

export const EXPORT_STRIP_HELP = `Usage: gan-studio export-strip <run> --between <a>,<b> --out strip.png [options]
       gan-studio export-strip <run> --direction sefa:3 [--at <v>] [--reach 5] --out strip.png [options]

Writes one row of images interpolating from vector a to vector b, or walking along a latent direction
(SeFa or GANSpace, from the checkpoint's weights) through vector v. ${VECTORS_HELP}
  --frames N         images in the strip, both ends included (default 10; 9 for a direction)
  --mode M           spherical (slerp, default) or linear
  --class C          a conditional run's class for vectors that do not name one
${DIRECTION_HELP}
  --checkpoint N     the checkpoint at iteration N (default: the newest)
  --padding P  --pad-color C  --scale K  --force   as for export-grid
${BACKEND_HELP}
${STORE_HELP}`

export const EXPORT_GIF_HELP = `Usage: gan-studio export-gif <run> --keys <a>,<b>,<c>[,...] --out path.gif [options]
       gan-studio export-gif <run> --direction sefa:3 [--at <v>] [--reach 5] --out walk.gif [options]

Writes an animated GIF walking through the keyframe vectors, or along a latent direction through vector v
(there and back: from -reach to +reach and back again). ${VECTORS_HELP}
  --frames-per-segment N   frames from one keyframe to the next, or from one end of the walk to the other (default 12)
  --fps N            frames per second, up to 50 (default 12)
  --mode M           spherical (default) or linear
  --class C          a conditional run's class for vectors that do not name one
  --no-loop          play once (default: loop forever, returning to the first keyframe)
  --ping-pong        play forward, then back (a direction walk always does)
${DIRECTION_HELP}
  --scale K          nearest-neighbour upscale 1-8 (default 2)
  --checkpoint N  --force
${BACKEND_HELP}
${STORE_HELP}`

export const EXPORT_MODEL_HELP = `Usage: gan-studio export-model <run> --out <folder> [--checkpoint N] [--force]

Writes the generator as a TF.js Layers model (model.json + weights), loadable in a browser with
tf.loadLayersModel('.../model.json'). Its input is [n, 1, 1, nz] normal noise; its output [n, S, S, nc] in [-1, 1].
${BACKEND_HELP}
${STORE_HELP}`

export const EXPORT_METRICS_HELP = `Usage: gan-studio export-metrics <run> --out metrics.csv [--force]

Writes every iteration's figures (and the SWD where it was computed) as CSV.
${STORE_HELP}`

const MODES = ['spherical', 'linear'] as const
const modeOf = (values: Record<string, unknown>): InterpolationMode => (choiceOption(values, 'mode', MODES) ?? 'spherical') === 'linear' ? 'linear' : 'spherical'

export async function exportStripCommand(args: string[], log: (line: string) => void): Promise<void> {
  const commandLine = parseCommandLine(
    args,
    { ...COMMON, ...DIRECTION_OPTIONS, between: { type: 'string' }, frames: { type: 'string' }, mode: { type: 'string' }, padding: { type: 'string' }, 'pad-color': { type: 'string' } },
    true
  )
  const { values } = commandLine
  if (values.help) return log(EXPORT_STRIP_HELP)
  checkDirectionOptions(values, ['between', 'mode'])
  const out = resolve(requireOption(values, 'out', 'the PNG file to write'))
  const between = values.direction === undefined ? requireOption(values, 'between', 'two vectors, a,b (or --direction)') : null
  const frames = positive(intOption(values, 'frames'), 'frames', between ? 10 : 9, 256)
  if (frames < 2) throw new UsageError('--frames must be at least 2')
  const mode = modeOf(values)
  const look = { ...paddingOptions(values), scale: positive(intOption(values, 'scale'), 'scale', 1, 8) }
  const generator = await chosenGenerator(commandLine)
  try {
    let vectors: Float32Array[]
    let what: string
    if (between) {
      const [a, b, ...rest] = vectorList(generator, between, 'between', 2, classOption(values, generator))
      if (rest.length > 0) throw new UsageError('--between takes exactly two vectors')
      vectors = interpolationFrames(a, b, frames, mode, generator.meta.classes.length)
      what = mode
    } else {
      const walk = await walkFrames(generator, values, frames)
      vectors = walk.frames
      what = walk.label
    }
    const { config, channels } = generator.meta
    const images = await generator.generate(concat(vectors))
    await writeFileAtomic(out, await interpolationStripPng(images, frames, config.imageSize, channels, look), { overwrite: Boolean(values.force) })
    log(`Wrote ${out} (${frames} frames, ${what}, iteration ${generator.meta.iteration})`)
  } finally {
    generator.dispose()
  }
}

export async function exportGifCommand(args: string[], log: (line: string) => void): Promise<void> {
  const commandLine = parseCommandLine(
    args,
    { ...COMMON, ...DIRECTION_OPTIONS, keys: { type: 'string' }, 'frames-per-segment': { type: 'string' }, fps: { type: 'string' }, mode: { type: 'string' }, 'no-loop': { type: 'boolean' }, 'ping-pong': { type: 'boolean' } },
    true
  )
  const { values } = commandLine
  if (values.help) return log(EXPORT_GIF_HELP)
  checkDirectionOptions(values, ['keys', 'mode'])
  const out = resolve(requireOption(values, 'out', 'the GIF file to write'))
  const keysText = values.direction === undefined ? requireOption(values, 'keys', 'three or more vectors, a,b,c (or --direction)') : null
  const perSegment = positive(intOption(values, 'frames-per-segment'), 'frames-per-segment', 12, 240)
  const fps = numberOption(values, 'fps') ?? 12
  if (fps < 0.1 || fps > 50) throw new UsageError(`--fps must be between 0.1 and 50 (what GIF can show), got ${fps}`)
  const mode = modeOf(values)
  const scale = positive(intOption(values, 'scale'), 'scale', 2, 8)
  const loop = !values['no-loop']
  const generator = await chosenGenerator(commandLine)
  try {
    let path: Float32Array[]
    let what: string
    if (keysText) {
      const keys = vectorList(generator, keysText, 'keys', 3, classOption(values, generator))
      path = keyframePath(keys, perSegment, mode, { loop, pingPong: Boolean(values['ping-pong']) }, generator.meta.classes.length)
      what = `${keys.length} keyframes`
    } else {
      // From one end of the walk to the other and back: a looping GIF then never jumps.
      const walk = await walkFrames(generator, values, 2)
      path = keyframePath(walk.frames, perSegment, 'linear', { loop, pingPong: true })
      what = walk.label
    }
    const { config, channels } = generator.meta
    const images = await generator.generate(concat(path))
    await writeFileAtomic(out, await animatedGif(images, path.length, config.imageSize, channels, { fps, scale, loop }), { overwrite: Boolean(values.force) })
    log(`Wrote ${out} (${path.length} frames at ${fps} fps, ${what}, iteration ${generator.meta.iteration})`)
  } finally {
    generator.dispose()
  }
}

export async function exportModelCommand(args: string[], log: (line: string) => void): Promise<void> {
  const commandLine = parseCommandLine(args, COMMON, true)
  const { values } = commandLine
  if (values.help) return log(EXPORT_MODEL_HELP)
  const out = resolve(requireOption(values, 'out', 'the folder to write model.json and its weights into'))
  const generator = await chosenGenerator(commandLine)
  try {
    const { config, channels, classes } = generator.meta
    const written = await exportGeneratorModel(generator.network, { config, channels, classes }, out, { overwrite: Boolean(values.force) })
    log(`Wrote ${written.modelJson} and ${written.weights.length} weight file${written.weights.length === 1 ? '' : 's'} (iteration ${generator.meta.iteration})`)
  } finally {
    generator.dispose()
  }
}

export async function exportMetricsCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseCommandLine(args, { ...STORE_OPTIONS, out: { type: 'string' }, force: { type: 'boolean' } }, true)
  if (values.help) return log(EXPORT_METRICS_HELP)
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'one run at a time' : "<run> is missing: give a run's id or name")
  const out = resolve(requireOption(values, 'out', 'the CSV file to write'))
  const db = openStore(values)
  try {
    const run = findRun(db, positionals[0])
    const series = readMetrics(db, run.id)
    const { csv, extraColumns: extra } = runMetricsCsv(series, readScalars(db, run.id), run.config.loss)
    await writeFileAtomic(out, csv, { overwrite: Boolean(values.force) })
    log(`Wrote ${out} (${series.iteration.length} iterations${extra.length ? `, plus ${extra.join(', ')}` : ''})`)
  } finally {
    db.close()
  }
}
