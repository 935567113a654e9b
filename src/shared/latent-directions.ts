// Directions in a generator's latent space that change one aspect of the image: found by SeFa (closed form,
// Shen and Zhou 2021) or GANSpace (PCA, Harkonen et al. 2020) from a checkpoint's weights, or saved by name
// with the run. Every direction is a unit vector in z, so a step of 1 is one standard deviation of the prior
// along it. Pure: used by the core, the CLI and the UI.
import type { LatentVector } from './latent'

export const DIRECTION_METHODS = ['sefa', 'ganspace'] as const
export type DirectionMethod = (typeof DIRECTION_METHODS)[number]

export const DIRECTION_METHOD_NAMES: Record<DirectionMethod, string> = { sefa: 'SeFa', ganspace: 'GANSpace' }

/** How far a slider reaches either way, in standard deviations of the prior along the direction. */
export const DIRECTION_REACH = 5

/** The most directions one request computes. */
export const MAX_DIRECTIONS = 64

export interface LatentDirection {
  /** 1 for the strongest direction. */
  rank: number
  /** A unit vector of nz values. */
  vector: number[]
  /** SeFa: the eigenvalue of W^T W; GANSpace: the variance of the first layer's activations along it. */
  strength: number
  /** Its part of the total (of W^T W's trace, or of the activations' variance), 0 to 1. */
  share: number
}

export interface LatentDirections {
  method: DirectionMethod
  /** The checkpoint they were computed from. */
  iteration: number
  directions: LatentDirection[]
  /** How they were found, for the user (the layer, the number of samples). */
  detail: string
  /** Seconds the computation took (0 when they came from the cache). */
  seconds: number
}

export interface SavedDirection {
  id: number
  runId: number
  name: string
  /** Where it came from: 'sefa:3', 'ganspace:1' (its rank at that checkpoint). */
  source: string
  /** The checkpoint it was computed at. */
  iteration: number | null
  vector: number[]
  createdAt: number
}

/** A direction as the command line names it: `sefa:3` (the third strongest SeFa direction) or a saved name. */
export type DirectionSpec = { method: DirectionMethod; rank: number } | { name: string }

export function parseDirectionSpec(text: string): DirectionSpec {
  const trimmed = text.trim()
  const match = /^([a-z]+):(\d+)$/i.exec(trimmed)
  if (match && (DIRECTION_METHODS as readonly string[]).includes(match[1].toLowerCase())) {
    const rank = Number(match[2])
    if (rank < 1 || rank > MAX_DIRECTIONS) throw new Error(`"${trimmed}": directions are ranked from 1 (the strongest) to ${MAX_DIRECTIONS}`)
    return { method: match[1].toLowerCase() as DirectionMethod, rank }
  }
  if (trimmed === '') throw new Error('no direction given: use sefa:K, ganspace:K or the name of a saved direction')
  return { name: trimmed }
}

export function describeDirectionSource(method: DirectionMethod, rank: number): string {
  return `${method}:${rank}`
}

/**
 * start + sum of amount_i * direction_i: the picked vector moved along several directions at once. A direction
 * lies in z: a conditional generator's vector is longer (its class weights follow z) and keeps its class.
 */
export function moveAlong(start: LatentVector, moves: readonly { direction: LatentVector; amount: number }[]): Float32Array {
  const out = Float32Array.from(start)
  for (const { direction, amount } of moves) {
    if (direction.length > start.length) throw new Error(`a direction has ${direction.length} values; the vector has ${start.length}`)
    if (amount === 0) continue
    for (let i = 0; i < direction.length; i++) out[i] += amount * direction[i]
  }
  return out
}

/** `frames` vectors evenly spaced from start - reach * direction to start + reach * direction (both included). */
export function directionWalk(start: LatentVector, direction: LatentVector, reach: number, frames: number): Float32Array[] {
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`a walk needs at least 2 frames, got ${frames}`)
  if (!Number.isFinite(reach) || reach <= 0) throw new Error(`the reach of a walk must be above 0, got ${reach}`)
  return Array.from({ length: frames }, (_, i) => moveAlong(start, [{ direction, amount: -reach + (2 * reach * i) / (frames - 1) }]))
}
