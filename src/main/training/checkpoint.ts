// A trainer snapshot as bytes for the store: every tensor in a tensor bundle, the small state (iteration,
// data order, noise generator, optimizer step counts) in its metadata.
import type { RandomState } from '../../shared/random'
import type { SamplerState } from '../data'
import { decodeBundle, encodeBundle, type NamedTensor } from './tensor-bundle'
import type { TrainerSnapshot } from './trainer'

interface CheckpointMeta {
  kind: 'gan-studio-checkpoint'
  iteration: number
  epoch: number
  /** Seconds of training up to this checkpoint, so a resumed run's clock continues. */
  trainSeconds: number
  sampler: SamplerState
  noise: RandomState
  /** The augmentation and penalty draws' generator (absent: the run draws nothing). */
  draws?: RandomState | null
  adamSteps: { generator: number; discriminator: number }
  /** How many tensors each group has, in the order they are stored (a group added later may be absent). */
  groups: Partial<Record<TensorGroup, number>>
}

// Appended only: a checkpoint written before a group existed reads as having none of it.
const GROUPS = ['generator', 'generatorBuffers', 'discriminator', 'discriminatorBuffers', 'adamG', 'adamD', 'generatorEma'] as const
type TensorGroup = (typeof GROUPS)[number]

function groupTensors(snapshot: TrainerSnapshot, group: TensorGroup): Float32Array[] {
  if (group === 'adamG') return snapshot.adamG.state
  if (group === 'adamD') return snapshot.adamD.state
  return snapshot[group]
}

export function encodeCheckpoint(snapshot: TrainerSnapshot, trainSeconds: number): Buffer {
  const tensors: NamedTensor[] = []
  const groups = {} as Record<TensorGroup, number>
  for (const group of GROUPS) {
    const list = groupTensors(snapshot, group)
    groups[group] = list.length
    list.forEach((data, i) => tensors.push({ name: `${group}/${i}`, shape: [data.length], data }))
  }
  const meta: CheckpointMeta = {
    kind: 'gan-studio-checkpoint',
    iteration: snapshot.iteration,
    epoch: snapshot.epoch,
    trainSeconds,
    sampler: snapshot.sampler,
    noise: snapshot.noise,
    draws: snapshot.draws,
    adamSteps: { generator: snapshot.adamG.step, discriminator: snapshot.adamD.step },
    groups
  }
  return encodeBundle({ meta, tensors })
}

export function decodeCheckpoint(bytes: Uint8Array): { snapshot: TrainerSnapshot; trainSeconds: number } {
  const { meta, tensors } = decodeBundle<CheckpointMeta>(bytes, 'checkpoint')
  if (meta?.kind !== 'gan-studio-checkpoint') throw new Error('the checkpoint is damaged (unknown kind)')
  const take: Partial<Record<TensorGroup, Float32Array[]>> = {}
  let offset = 0
  for (const group of GROUPS) {
    const count = meta.groups[group] ?? 0
    take[group] = tensors.slice(offset, offset + count).map((t) => t.data)
    offset += count
  }
  return {
    trainSeconds: meta.trainSeconds,
    snapshot: {
      iteration: meta.iteration,
      epoch: meta.epoch,
      generator: take.generator!,
      generatorBuffers: take.generatorBuffers!,
      generatorEma: take.generatorEma!,
      discriminator: take.discriminator!,
      discriminatorBuffers: take.discriminatorBuffers!,
      adamG: { step: meta.adamSteps.generator, state: take.adamG! },
      adamD: { step: meta.adamSteps.discriminator, state: take.adamD! },
      sampler: meta.sampler,
      noise: meta.noise,
      draws: meta.draws ?? null
    }
  }
}
