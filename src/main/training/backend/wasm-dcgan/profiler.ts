// Optional timing of the engine's steps, by layer and operation, for `npm run bench:kernels -- --iteration`.
// Off unless a benchmark turns it on; then each step costs two performance.now() calls.

export interface StepTiming {
  ms: number
  calls: number
}

let timings: Map<string, StepTiming> | null = null

/** Starts (or restarts) collecting; returns the live table. */
export function startEngineProfile(): Map<string, StepTiming> {
  timings = new Map()
  return timings
}

export function stopEngineProfile(): void {
  timings = null
}

/** Runs `step`, charging its wall time to `name` when profiling. */
export function timed<T>(name: () => string, step: () => T): T {
  if (timings === null) return step()
  const started = performance.now()
  try {
    return step()
  } finally {
    const key = name()
    const entry = timings.get(key) ?? { ms: 0, calls: 0 }
    entry.ms += performance.now() - started
    entry.calls += 1
    timings.set(key, entry)
  }
}
