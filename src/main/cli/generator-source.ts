// Which generator a command works on: a run's checkpoint in the store (`<run> [--checkpoint N]`), or a
// folder written by `train --out` (`--from <dir>`); and latent vectors named on the command line.
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fixedNoise, seededNoise } from '../../shared/noise'
import { BACKENDS, type BackendChoice } from '../../shared/config'
import { findRun, listDirections, listLatents, loadCheckpoint } from '../store'
import { decodeCheckpoint } from '../training/checkpoint'
import { decodeGenerator, generatorFromCheckpoint, type LoadedGenerator } from '../training/generator-file'
import type { GeneratorChoice } from '../training/trainer'
import { startBackend } from './backend'
import { openStore } from './context'
import { choiceOption, CommandFailed, intOption, UsageError, type CommandLine } from './usage'

export interface ChosenGenerator extends LoadedGenerator {
  /** The run's saved latent vectors by name (none for a --from folder). */
  savedVectors: Map<string, number[]>
  /** The run's saved latent directions by name (none for a --from folder). */
  savedDirections: Map<string, number[]>
}

/** The generator named on the command line: a run (and checkpoint) in the store, or a --from folder. */
export async function chosenGenerator({ values, positionals }: CommandLine): Promise<ChosenGenerator> {
  if (positionals.length > 1) throw new UsageError(`one run at a time: got ${positionals.map((p) => `"${p}"`).join(', ')}`)
  if (positionals.length === 1 && values.from) throw new UsageError('give either <run> or --from, not both')
  const backend = choiceOption(values, 'backend', BACKENDS) ?? 'auto'
  if (values.from) {
    if (values.raw) throw new UsageError('--raw needs a run (its checkpoints hold both generators); a --from folder holds one generator')
    return loadGeneratorFrom(String(values.from), backend)
  }
  if (positionals.length === 0) throw new UsageError('<run> is missing: give a run\'s id or name, or --from <dir>')
  return loadGeneratorOfRun(values, positionals[0], intOption(values, 'checkpoint'), backend, values.raw ? 'raw' : 'ema')
}

async function loadGeneratorOfRun(values: CommandLine['values'], idOrName: string, iteration: number | undefined, backend: BackendChoice, choice: GeneratorChoice): Promise<ChosenGenerator> {
  const db = openStore(values)
  try {
    const run = findRun(db, idOrName)
    const checkpoint = loadCheckpoint(db, run.id, iteration)
    if (!checkpoint || !run.channels) throw new CommandFailed(`run "${run.name}" has no checkpoint yet; train it a little longer first`)
    await startBackend(backend)
    const { snapshot } = decodeCheckpoint(checkpoint.state)
    const savedVectors = new Map(listLatents(db, run.id).map((l) => [l.name, l.vector]))
    const savedDirections = new Map(listDirections(db, run.id).map((d) => [d.name, d.vector]))
    return { ...generatorFromCheckpoint(run.config, run.channels, snapshot.iteration, snapshot, choice), savedVectors, savedDirections }
  } finally {
    db.close()
  }
}

async function loadGeneratorFrom(from: string, backend: BackendChoice): Promise<ChosenGenerator> {
  const path = resolve(from)
  if (!existsSync(path)) throw new UsageError(`--from: ${path} does not exist`)
  const file = statSync(path).isDirectory() ? join(path, 'generator.bin') : path
  if (!existsSync(file)) {
    throw new UsageError(`--from: ${path} has no generator.bin; give a folder written by \`gan-studio train --out\` after training finished`)
  }
  await startBackend(backend)
  return { ...decodeGenerator(await readFile(file), file), savedVectors: new Map(), savedDirections: new Map() }
}

/**
 * A latent vector as a user names it: `seed:N` (the first vector of seed N), `fixed:K` (the run's K-th
 * fixed-noise vector, from 1), or the name of a vector saved while exploring.
 */
export function namedVector(generator: ChosenGenerator, spec: string): Float32Array {
  const { nz } = generator.meta.config
  const seed = /^seed:(\d+)$/.exec(spec)
  if (seed) return seededNoise(Number(seed[1]), nz, 1)
  const fixed = /^fixed:(\d+)$/.exec(spec)
  if (fixed) {
    const k = Number(fixed[1])
    if (k < 1) throw new UsageError(`"${spec}": fixed-noise vectors count from 1`)
    return fixedNoise(generator.meta.config, k).subarray((k - 1) * nz, k * nz)
  }
  const saved = generator.savedVectors.get(spec)
  if (!saved) {
    const names = [...generator.savedVectors.keys()]
    throw new UsageError(`no vector "${spec}": use seed:N, fixed:K${names.length ? ` or a saved name (${names.join(', ')})` : ' (the run has no saved vectors)'}`)
  }
  return Float32Array.from(saved)
}

export function vectorList(generator: ChosenGenerator, specs: string, option: string, minimum: number): Float32Array[] {
  const list = specs.split(',').map((s) => s.trim()).filter(Boolean)
  if (list.length < minimum) throw new UsageError(`--${option} needs at least ${minimum} vectors separated by commas, got ${list.length}`)
  return list.map((spec) => namedVector(generator, spec))
}
