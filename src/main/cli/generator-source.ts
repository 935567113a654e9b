// Which generator a command works on: a run's checkpoint in the store (`<run> [--checkpoint N]`), or a
// folder written by `train --out` (`--from <dir>`); and latent vectors named on the command line.
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { withClass } from '../../shared/classes'
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
    return { ...generatorFromCheckpoint(run.config, { channels: run.channels, classes: run.classes?.names ?? [] }, snapshot.iteration, snapshot, choice), savedVectors, savedDirections }
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
 * --class K of a conditional generator, checked against its classes; undefined when not given. An
 * unconditional generator has no classes to choose.
 */
export function classOption(values: CommandLine['values'], generator: ChosenGenerator): number | undefined {
  const k = intOption(values, 'class')
  if (k === undefined) return undefined
  const { classes } = generator.meta
  if (classes.length === 0) throw new UsageError('--class: this generator is not conditional (its run trained without --conditional), so it has no classes to choose')
  if (k < 0 || k >= classes.length) throw new UsageError(`--class ${k}: this run has ${classes.length} classes, numbered 0 to ${classes.length - 1} (${describeClassList(classes)})`)
  return k
}

/** '0 T-shirt/top, 1 Trouser, ...' (or '0, 1, ..., 9' where the names are the numbers). */
export function describeClassList(classes: readonly string[]): string {
  return classes.map((name, k) => (name === String(k) ? name : `${k} ${name}`)).join(', ')
}

/**
 * A latent vector as a user names it: `seed:N` (the first vector of seed N), `fixed:K` (the run's K-th
 * fixed-noise vector, from 1), or the name of a vector saved while exploring. A conditional generator's
 * vectors also need a class: `seed:1@3` is seed 1's vector drawn as class 3; without @ the vector keeps its
 * saved class, or takes `defaultClass` (--class).
 */
export function namedVector(generator: ChosenGenerator, spec: string, defaultClass?: number): Float32Array {
  const { nz } = generator.meta.config
  const classes = generator.meta.classes.length
  const at = /^(.*)@(\d+)$/.exec(spec)
  const base = at ? at[1] : spec
  const chosenClass = at ? Number(at[2]) : undefined
  if (chosenClass !== undefined && classes === 0) throw new UsageError(`"${spec}": @${chosenClass} chooses a class, and this generator is not conditional`)
  if (chosenClass !== undefined && chosenClass >= classes) {
    throw new UsageError(`"${spec}": this run has ${classes} classes, numbered 0 to ${classes - 1} (${describeClassList(generator.meta.classes)})`)
  }
  const withClassOf = (z: Float32Array, saved: number | null): Float32Array => {
    if (classes === 0) return z
    const k = chosenClass ?? saved ?? defaultClass
    if (k === undefined) throw new UsageError(`"${spec}": this generator is conditional: choose the class, e.g. ${base}@0, or give --class K (${describeClassList(generator.meta.classes)})`)
    return Float32Array.from(withClass(z, k, classes))
  }
  const seed = /^seed:(\d+)$/.exec(base)
  if (seed) return withClassOf(seededNoise(Number(seed[1]), nz, 1), null)
  const fixed = /^fixed:(\d+)$/.exec(base)
  if (fixed) {
    const k = Number(fixed[1])
    if (k < 1) throw new UsageError(`"${spec}": fixed-noise vectors count from 1`)
    return withClassOf(fixedNoise(generator.meta.config, k).subarray((k - 1) * nz, k * nz), null)
  }
  const saved = generator.savedVectors.get(base)
  if (!saved) {
    const names = [...generator.savedVectors.keys()]
    throw new UsageError(`no vector "${base}": use seed:N, fixed:K${names.length ? ` or a saved name (${names.join(', ')})` : ' (the run has no saved vectors)'}`)
  }
  // A saved vector keeps its own class weights (a mixture too), unless @K chooses another class.
  if (chosenClass === undefined) return Float32Array.from(saved)
  return withClassOf(Float32Array.from(saved.slice(0, nz)), null)
}

export function vectorList(generator: ChosenGenerator, specs: string, option: string, minimum: number, defaultClass?: number): Float32Array[] {
  const list = specs.split(',').map((s) => s.trim()).filter(Boolean)
  if (list.length < minimum) throw new UsageError(`--${option} needs at least ${minimum} vectors separated by commas, got ${list.length}`)
  return list.map((spec) => namedVector(generator, spec, defaultClass))
}
