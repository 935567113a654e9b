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
  adamSteps: { generator: number; discriminator: number }
  /** How many tensors each group has, in the order they are stored. */
  groups: Record<TensorGroup, number>
}

const GROUPS = ['generator', 'generatorBuffers', 'discriminator', 'discriminatorBuffers', 'adamG', 'adamD'] as const
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
    take[group] = tensors.slice(offset, offset + meta.groups[group]).map((t) => t.data)
    offset += meta.groups[group]
  }
  return {
    trainSeconds: meta.trainSeconds,
    snapshot: {
      iteration: meta.iteration,
      epoch: meta.epoch,
      generator: take.generator!,
      generatorBuffers: take.generatorBuffers!,
      discriminator: take.discriminator!,
      discriminatorBuffers: take.discriminatorBuffers!,
      adamG: { step: meta.adamSteps.generator, state: take.adamG! },
      adamD: { step: meta.adamSteps.discriminator, state: take.adamD! },
      sampler: meta.sampler,
      noise: meta.noise
    }
  }
}
