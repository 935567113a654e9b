// Rearranged copies of filters (sub-pixel slices, transposes), kept while the filter they come from lives.
//
// Within one training iteration the generator's weights run forward twice (D step, G step) and the
// discriminator's input gradient runs twice with the same weights (real and fake batch). XNNPACK builds an
// operator per filter buffer, transposing and packing the weights at 12-25 ns each; a cached rearranged
// filter keeps its operator too, so the repeat call skips both the rearranging and the packing.
//
// Entries are keyed by the source's wasm buffer id, which is never reused: TF.js never writes into an
// existing buffer (an updated variable gets a new one), so a live id always holds the same values.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { TensorInfo } from './kernel-calls'

interface Entry {
  backend: BackendWasm
  source: object
  sourceBufferId: number
  derived: TensorInfo
}

/** Enough for every conv layer of both networks, with a few plans each. */
const MAX_ENTRIES = 64

const entries = new Map<string, Entry>()

function bufferId(backend: BackendWasm, dataId: object): number | undefined {
  return backend.dataIdMap.has(dataId) ? backend.dataIdMap.get(dataId)!.id : undefined
}

function drop(key: string, entry: Entry): void {
  entries.delete(key)
  // A backend that was disposed (tf.removeBackend) has freed everything already.
  if (entry.backend.wasm != null) entry.backend.disposeData(entry.derived.dataId)
}

/** Releases the copies whose source filter has been disposed. */
function purge(): void {
  for (const [key, entry] of entries) {
    if (bufferId(entry.backend, entry.source) !== entry.sourceBufferId) drop(key, entry)
  }
}

/**
 * The copy of `source` that `make` builds, under `variant` (which must name everything `make` depends on
 * besides the source's values). The cache owns the result: callers must not release it.
 */
export function derivedFilter(
  backend: BackendWasm,
  source: TensorInfo,
  variant: string,
  make: () => TensorInfo
): TensorInfo {
  purge()
  const id = bufferId(backend, source.dataId)
  if (id === undefined) throw new Error('derivedFilter: the source filter is not on the wasm backend')
  const key = `${id}|${variant}`
  const hit = entries.get(key)
  if (hit !== undefined) {
    // Map order is insertion order: re-insert so eviction drops the least recently used.
    entries.delete(key)
    entries.set(key, hit)
    return hit.derived
  }
  const derived = make()
  entries.set(key, { backend, source: source.dataId, sourceBufferId: id, derived })
  if (entries.size > MAX_ENTRIES) {
    const [oldestKey, oldest] = entries.entries().next().value as [string, Entry]
    drop(oldestKey, oldest)
  }
  return derived
}

/** Frees every cached copy now (they are otherwise freed on the first kernel call after their source). */
export function clearDerivedFilters(): void {
  for (const [key, entry] of entries) drop(key, entry)
}

export function derivedFilterCount(): number {
  return entries.size
}
