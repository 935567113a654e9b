// `gan-studio train`: trains a GAN from the terminal with a live progress line, writing progress grids,
// metrics and the final generator to an output folder.
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ARCHITECTURES, BACKENDS, ConfigError, parseRunConfig, PRESETS, type RunConfig, type RunConfigInput } from '../../shared/config'
import { AUGMENTATIONS, AUTOGRAD_SLOWDOWN, D_NORMS, LOSSES, OPTIMIZERS, parseAugmentations, SUGGESTED_EMA, type Augmentation } from '../../shared/training-options'
import { hasDiverged, type RunSummary } from '../../shared/runs'
import { checkClassFolders, checkDatasetSource, DataError, describeDatasetSource, IMAGE_EXTENSIONS, parseDatasetSource, type DatasetSource } from '../data'
import { scanFolder } from '../data/scan'
import type { RunManager } from '../runs/manager'
import { loadCheckpoint, readMetrics, StoreError, validateRunName } from '../store'
import { initBackend } from '../training/backend'
import { decodeCheckpoint } from '../training/checkpoint'
import { encodeGenerator, generatorFromCheckpoint } from '../training/generator-file'
import { startBackend } from './backend'
import { openManager, STORE_HELP, STORE_OPTIONS, storePaths } from './context'
import { followRun } from './follow'
import { formatDuration } from './format'
import { choiceOption, CommandFailed, intOption, numberOption, parseCommandLine, requireOption, UsageError, type OptionSpec } from './usage'

export const TRAIN_HELP = `Usage: gan-studio train --data <folder | builtin:mnist | builtin:fashion-mnist> [options]

Creates a run and trains it with a live progress line. The run, its metrics, grids and checkpoints go to
the run database; Ctrl-C saves a checkpoint and leaves the run paused (\`gan-studio resume <run>\`).

Data
  --data <source>        an image folder (searched recursively) or a built-in data set
  --size 32|64           image size in pixels (default 64)
  --channels 1|3         grayscale or RGB (default: detected from the images)
Model
  --arch dcgan|mlp       architecture (default dcgan)
  --conditional          a conditional GAN: learn each class apart and draw the class asked for. Classes are
                         the folder's first-level subfolders (root/cats/*.png, root/dogs/*.png; images
                         directly in the folder are refused) or a built-in set's labels (MNIST's digits,
                         Fashion-MNIST's 10 kinds of clothing)
  --nz N                 latent vector size (default 100)
  --ngf N  --ndf N       generator / discriminator width (default 64)
Training
  --batch N              batch size (default 128)
  --iterations N         train this many iterations, or
  --epochs N             this many passes over the data (default 5 epochs)
  --loss L               ${LOSSES.join(' | ')} (default bce). Each brings its paper's settings
                         below unless given: lsgan, hinge: as bce; wgan: RMSprop 5e-5, 5 D steps,
                         --clip 0.01; wgan-gp: Adam 1e-4 betas (0, 0.9), 5 D steps, --gp-weight 10,
                         --d-norm layer (on the wasm backend it trains on TF.js autograd, at about
                         ${AUTOGRAD_SLOWDOWN.gradientPenalty}x the fast engine's time: the engine has no second-order gradient)
  --optimizer O          ${OPTIMIZERS.join(' | ')} (default: the loss's)
  --lr X                 learning rate for both networks (default 0.0002; the loss's)
  --lr-d X  --lr-g X     separate learning rates for D and G
  --beta1 X  --beta2 X   Adam's betas (default 0.5, 0.999; the loss's)
  --label-smoothing X    one-sided: real labels become 1 - X (default 0; bce and lsgan)
  --d-steps N            discriminator steps per generator step (default 1; the loss's)
  --clip C               clip D's weights to [-C, C] after each D step (default 0: off; wgan 0.01)
  --gp-weight L          gradient penalty weight (default 0: off; wgan-gp 10)
  --d-norm N             D's normalization: ${D_NORMS.join(' | ')} (default batch for DCGAN, none for MLP;
                         wgan-gp: layer)
Small data sets
  --augment [P,...]      DiffAugment on every image D sees: any of ${AUGMENTATIONS.join(', ')}
                         (alone: all three). Helps D not memorize a few hundred images
  --ema [DECAY]          also keep an exponential moving average of G's weights (alone: ${SUGGESTED_EMA});
                         samples, SWD and exports use it (exports take --raw for the trained G)
  --seed N               random seed: same seed, same run (default 999)
  --backend B            ${BACKENDS.join(' | ')} (default auto: the fastest that loads)
  --checkpoint-every N   save a checkpoint every N iterations (default 500; also every 5 minutes)
  --swd-every N          compute the SWD quality metric every N iterations (default: automatic, under
                         5% of the training time, and at the end; 0 turns it off)
Output
  --name <name>          the run's name (default: the data set's name and a number)
  --out <dir>            also write grids/, latest.png, metrics.csv and generator.bin here
  --sample-every N       render the fixed-noise grid every N iterations (default 100)
${STORE_HELP}

Presets
  --preset P             paper (the default: 64 px, ngf = ndf = 64, batch 128, 5 epochs) or cpu-quick
                         (32 px, ngf = ndf = 32, batch 64, 1,200 iterations: minutes on a laptop CPU);
                         options given beside it win
Example: gan-studio train --data builtin:mnist --preset cpu-quick`

const OPTIONS: OptionSpec = {
  data: { type: 'string' },
  size: { type: 'string' },
  channels: { type: 'string' },
  arch: { type: 'string' },
  conditional: { type: 'boolean' },
  nz: { type: 'string' },
  ngf: { type: 'string' },
  ndf: { type: 'string' },
  batch: { type: 'string' },
  iterations: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'lr-d': { type: 'string' },
  'lr-g': { type: 'string' },
  beta1: { type: 'string' },
  beta2: { type: 'string' },
  'label-smoothing': { type: 'string' },
  'd-steps': { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  clip: { type: 'string' },
  'gp-weight': { type: 'string' },
  'd-norm': { type: 'string' },
  augment: { type: 'string' },
  ema: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  'sample-every': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'swd-every': { type: 'string' },
  preset: { type: 'string' }
}

const PRESET_FLAGS = { paper: 'paper', 'cpu-quick': 'cpuQuick' } as const

/** Which flag sets each config field: a config error then names the flag the user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  imageSize: '--size',
  channels: '--channels',
  arch: '--arch',
  conditional: '--conditional',
  nz: '--nz',
  ngf: '--ngf',
  ndf: '--ndf',
  batchSize: '--batch',
  iterations: '--iterations',
  epochs: '--epochs',
  lrD: '--lr-d (or --lr)',
  lrG: '--lr-g (or --lr)',
  beta1: '--beta1',
  beta2: '--beta2',
  labelSmoothing: '--label-smoothing',
  dStepsPerG: '--d-steps',
  loss: '--loss',
  optimizer: '--optimizer',
  weightClip: '--clip',
  gpWeight: '--gp-weight',
  dNorm: '--d-norm',
  augment: '--augment',
  ema: '--ema',
  seed: '--seed',
  sampleEvery: '--sample-every',
  checkpointEvery: '--checkpoint-every',
  swdEvery: '--swd-every',
  backend: '--backend'
}

/** --augment color,translation: the policies, or a usage error naming the unknown ones. */
function augmentOption(values: Record<string, unknown>): Augmentation[] | undefined {
  if (values.augment === undefined) return undefined
  const { augment, unknown } = parseAugmentations(String(values.augment))
  if (unknown.length > 0) {
    const names = unknown.map((u) => `"${u}"`).join(', ')
    throw new UsageError(`--augment: unknown augmentation${unknown.length > 1 ? 's' : ''} ${names}; choose any of ${AUGMENTATIONS.join(', ')}, separated by commas`)
  }
  if (augment.length === 0) throw new UsageError(`--augment needs at least one of ${AUGMENTATIONS.join(', ')} (or nothing after it: all three)`)
  return augment
}

/** Flags whose value may be left out, and what they then mean. */
const VALUE_WHEN_ALONE: Record<string, string> = { '--augment': AUGMENTATIONS.join(','), '--ema': String(SUGGESTED_EMA) }

/** `--augment` and `--ema` alone (last, or followed by another flag) get their suggested values. */
export function withImpliedValues(args: string[]): string[] {
  return args.flatMap((arg, i) => {
    const next = args[i + 1]
    const alone = arg in VALUE_WHEN_ALONE && (next === undefined || next.startsWith('--'))
    return alone ? [arg, VALUE_WHEN_ALONE[arg]] : [arg]
  })
}

export function configFromOptions(values: Record<string, unknown>): RunConfig {
  const lr = numberOption(values, 'lr')
  const input: RunConfigInput = {
    arch: choiceOption(values, 'arch', ARCHITECTURES),
    conditional: values.conditional === true ? true : undefined,
    imageSize: intOption(values, 'size') as RunConfigInput['imageSize'],
    channels: intOption(values, 'channels') as RunConfigInput['channels'],
    nz: intOption(values, 'nz'),
    ngf: intOption(values, 'ngf'),
    ndf: intOption(values, 'ndf'),
    batchSize: intOption(values, 'batch'),
    iterations: intOption(values, 'iterations'),
    epochs: intOption(values, 'epochs'),
    lrD: numberOption(values, 'lr-d') ?? lr,
    lrG: numberOption(values, 'lr-g') ?? lr,
    beta1: numberOption(values, 'beta1'),
    beta2: numberOption(values, 'beta2'),
    labelSmoothing: numberOption(values, 'label-smoothing'),
    dStepsPerG: intOption(values, 'd-steps'),
    loss: choiceOption(values, 'loss', LOSSES),
    optimizer: choiceOption(values, 'optimizer', OPTIMIZERS),
    weightClip: numberOption(values, 'clip'),
    gpWeight: numberOption(values, 'gp-weight'),
    dNorm: choiceOption(values, 'd-norm', D_NORMS),
    augment: augmentOption(values),
    ema: numberOption(values, 'ema'),
    seed: intOption(values, 'seed'),
    sampleEvery: intOption(values, 'sample-every'),
    checkpointEvery: intOption(values, 'checkpoint-every'),
    swdEvery: values['swd-every'] === 'auto' ? undefined : intOption(values, 'swd-every'),
    backend: choiceOption(values, 'backend', BACKENDS)
  }
  for (const key of Object.keys(input) as (keyof RunConfigInput)[]) if (input[key] === undefined) delete input[key]
  const presetName = choiceOption(values, 'preset', Object.keys(PRESET_FLAGS) as (keyof typeof PRESET_FLAGS)[])
  const preset: RunConfigInput = presetName ? { ...PRESETS[PRESET_FLAGS[presetName]] } : {}
  // A length given on the command line replaces the preset's, whichever unit it is in.
  if (input.iterations !== undefined || input.epochs !== undefined) {
    delete preset.iterations
    delete preset.epochs
  }
  try {
    return parseRunConfig({ ...preset, ...input })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const named = error.problems.map((p) => {
      const field = p.split(':')[0]
      return FLAG_OF_FIELD[field] ? `${FLAG_OF_FIELD[field]}: ${p.slice(field.length + 2)}` : p
    })
    throw new UsageError(named.join('; '))
  }
}

/** Writes what `train --out` promises after training: metrics.csv, run.json and the final generator. */
export async function writeOutFolder(manager: RunManager, run: RunSummary, outDir: string): Promise<void> {
  const series = readMetrics(manager.db, run.id)
  const rows = series.iteration.map((it, i) =>
    [it, series.epoch[i], series.lossD[i], series.lossG[i], series.dReal[i], series.dFakeBefore[i], series.dFakeAfter[i], series.seconds[i]].join(',')
  )
  await writeFile(join(outDir, 'metrics.csv'), `iteration,epoch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,seconds\n${rows.join('\n')}\n`)
  await writeFile(join(outDir, 'run.json'), JSON.stringify({ id: run.id, name: run.name, source: run.source, backend: run.backend, status: run.status, iteration: run.iteration, config: run.config }, null, 2))
  const checkpoint = loadCheckpoint(manager.db, run.id)
  if (checkpoint && run.channels) {
    // Copying weights into a file needs no accelerator: the plain backend starts at once, everywhere.
    await initBackend('cpu')
    const { snapshot } = decodeCheckpoint(checkpoint.state)
    const classes = run.classes?.names ?? []
    const generator = generatorFromCheckpoint(run.config, { channels: run.channels, classes }, snapshot.iteration, snapshot)
    try {
      const meta = { config: run.config, channels: run.channels, classes, iteration: snapshot.iteration, weights: generator.meta.weights }
      await writeFile(join(outDir, 'generator.bin'), await encodeGenerator(generator.network, meta))
    } finally {
      generator.dispose()
    }
  }
}

/** --data as a source; a name that cannot be one is wrong usage. */
function dataOption(text: string): DatasetSource {
  try {
    return parseDatasetSource(text)
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(`--data: ${error.message}${error.hint ? ` ${error.hint}` : ''}`)
    throw error
  }
}

/**
 * Is there anything to train on? A folder that is missing, not a folder, or holds no image file is a
 * wrong --data, told before a run is created (a run would only fail at once). Whether the images decode
 * is found out while preparing them, in the run. A built-in set that is not installed says how to get it.
 */
async function checkData(source: DatasetSource, cacheDir: string, conditional: boolean): Promise<void> {
  if (source.kind !== 'folder') return checkDatasetSource(source)
  let scan: Awaited<ReturnType<typeof scanFolder>>
  try {
    scan = await scanFolder(source.path, { excludeDir: cacheDir })
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(`--data: ${error.message}${error.hint ? ` ${error.hint}` : ''}`)
    throw error
  }
  if (scan.images.length === 0) {
    const found = scan.skipped.length === 0 ? 'the folder is empty' : `${scan.skipped.length} file${scan.skipped.length === 1 ? '' : 's'}, none of them an image`
    throw new UsageError(`--data: no images in ${source.path} (${found}); give a folder with ${IMAGE_EXTENSIONS.join(', ')} files (subfolders are searched too)`)
  }
  if (conditional) {
    try {
      checkClassFolders(scan, source.path)
    } catch (error) {
      if (error instanceof DataError) throw new UsageError(`--conditional: ${error.message}${error.hint ? ` ${error.hint}` : ''}`)
      throw error
    }
  }
}

/** --name, checked before anything is created: a valid name that no run has yet. */
function nameOption(values: Record<string, unknown>): string | undefined {
  if (values.name === undefined) return undefined
  try {
    return validateRunName(String(values.name))
  } catch (error) {
    if (error instanceof StoreError) throw new UsageError(`--name: ${error.message}`)
    throw error
  }
}

function nameTaken(manager: RunManager, name: string): boolean {
  try {
    manager.getRun(name)
    return true
  } catch (error) {
    if (error instanceof StoreError) return false
    throw error
  }
}

export async function trainCommand(args: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseCommandLine(withImpliedValues(args), { ...OPTIONS, ...STORE_OPTIONS, name: { type: 'string' } })
  if (values.help) {
    log(TRAIN_HELP)
    return
  }
  const source = dataOption(requireOption(values, 'data', 'an image folder, builtin:mnist or builtin:fashion-mnist'))
  const config = configFromOptions(values)
  const name = nameOption(values)
  const outDir = values.out ? resolve(String(values.out)) : undefined
  // Everything that would make the run fail at once is checked first, so that no failed run is left behind.
  await checkData(source, storePaths(values).cacheDir, config.conditional)
  if (config.backend !== 'auto') await startBackend(config.backend)
  const manager = openManager(values, { create: true })
  try {
    if (name !== undefined && nameTaken(manager, name)) throw new UsageError(`--name: a run named "${name}" already exists; choose another name`)
    const run = await manager.createRun({ config, source: describeDatasetSource(source), name })
    log(`Run ${run.id} "${run.name}" (${describeDatasetSource(source)}), stored in ${storePaths(values).dbPath}`)
    const ended = await followRun(manager, run, { outDir, log })
    if (outDir) await writeOutFolder(manager, ended, outDir)
    report(ended, log, outDir)
  } finally {
    await manager.close()
  }
}

/**
 * The last lines after a session: where the run stands and what to do next. A run that failed, or paused
 * on its own because its losses diverged, makes the command fail (exit 1) with the reason, told once.
 */
export function report(run: RunSummary, log: (line: string) => void, outDir?: string): void {
  const speed = run.trainSeconds > 0 ? ` in ${formatDuration(run.trainSeconds)} of training` : ''
  log(`Run "${run.name}": ${run.status} at iteration ${run.iteration}${run.totalIterations ? `/${run.totalIterations}` : ''}${speed}.`)
  if (outDir) log(`Output: ${outDir} (latest.png, grids/, metrics.csv, generator.bin)`)
  if (run.status === 'failed') throw new CommandFailed(`the run failed: ${run.error ?? 'unknown error'}`)
  // A pause asked for (Ctrl-C) is a success; a divergence is not, though the run stays resumable.
  if (hasDiverged(run)) {
    throw new CommandFailed(`${run.error} The run is paused: \`gan-studio resume ${run.name} --lr <rate>\` continues it with a lower learning rate.`)
  }
}
