// `--direction` for export-strip and export-gif: a walk along a latent direction (sefa:K, ganspace:K, or a
// direction saved while exploring) through one vector, computed from the chosen checkpoint's weights.
import { DIRECTION_REACH, directionWalk, parseDirectionSpec, type DirectionSpec } from '../../shared/latent-directions'
import { latentDirections } from '../explore/directions'
import { firstLayerOf } from '../explore/first-layer'
import { classOption, namedVector, type ChosenGenerator } from './generator-source'
import { numberOption, UsageError, type CommandLine, type OptionSpec } from './usage'

export const DIRECTION_OPTIONS: OptionSpec = { direction: { type: 'string' }, at: { type: 'string' }, reach: { type: 'string' } }

export const DIRECTION_HELP = `  --direction D      walk along a latent direction instead: sefa:K or ganspace:K (the K-th strongest
                     at this checkpoint, from 1), or the name of a direction saved while exploring
  --at V             the vector the walk passes through, in its middle (default fixed:1)
  --reach R          how far the walk goes either way, in standard deviations (default ${DIRECTION_REACH})`

function directionSpec(text: string): DirectionSpec {
  try {
    return parseDirectionSpec(text)
  } catch (error) {
    throw new UsageError(`--direction: ${(error as Error).message}`)
  }
}

function reachOf(values: Record<string, unknown>): number {
  const reach = numberOption(values, 'reach') ?? DIRECTION_REACH
  if (reach <= 0 || reach > 50) throw new UsageError(`--reach must be above 0 and at most 50, got ${reach}`)
  return reach
}

/** The unit vector a --direction names, at the generator's checkpoint. */
export async function resolveDirection(generator: ChosenGenerator, text: string): Promise<{ vector: Float32Array; label: string }> {
  const spec = directionSpec(text)
  if ('name' in spec) {
    const saved = generator.savedDirections.get(spec.name)
    if (!saved) {
      const names = [...generator.savedDirections.keys()]
      throw new UsageError(`no direction "${spec.name}": use sefa:K, ganspace:K${names.length ? ` or a saved name (${names.join(', ')})` : ' (the run has no saved directions)'}`)
    }
    return { vector: Float32Array.from(saved), label: `"${spec.name}"` }
  }
  const { nz } = generator.meta.config
  if (spec.rank > nz) throw new UsageError(`--direction ${text}: this generator has only ${nz} latent dimensions`)
  const found = await latentDirections(await firstLayerOf(generator.network, nz), spec.method, spec.rank)
  return { vector: Float32Array.from(found.directions[spec.rank - 1].vector), label: `${spec.method}:${spec.rank}` }
}

/** `frames` vectors from --at minus --reach times the direction to --at plus it. */
export async function walkFrames(generator: ChosenGenerator, values: Record<string, unknown>, frames: number): Promise<{ frames: Float32Array[]; label: string }> {
  const reach = reachOf(values)
  // A conditional generator's vector walks in z and keeps its class (--class, or @C in --at).
  const at = namedVector(generator, String(values.at ?? 'fixed:1'), classOption(values as CommandLine['values'], generator))
  const { vector, label } = await resolveDirection(generator, String(values.direction))
  return { frames: directionWalk(at, vector, reach, frames), label: `${label} through ${String(values.at ?? 'fixed:1')}, ±${reach}σ` }
}

/**
 * --at and --reach mean something only with --direction, which excludes `others`; checked (with the
 * direction's form and the reach) before any generator is loaded.
 */
export function checkDirectionOptions(values: Record<string, unknown>, others: string[]): void {
  if (values.direction === undefined) {
    for (const name of ['at', 'reach']) if (values[name] !== undefined) throw new UsageError(`--${name} goes with --direction`)
    return
  }
  for (const name of others) if (values[name] !== undefined) throw new UsageError(`give either --direction or --${name}, not both`)
  directionSpec(String(values.direction))
  reachOf(values)
}
