// The training health checks, each a pure function over the recent stretch of a series (metric rows, the
// samples' diversity, SWD) that says whether its problem shows there, with the figures that say so. The
// thresholds are here, in one place, with why; HealthMonitor runs the checks as a run trains and turns what
// they say into alerts with a start and an end (episodes.ts).

/** Whether a problem shows at a check, and the figures that say so (for people). */
export interface Check {
  holds: boolean
  /** Where the problem began, when the check knows better than "now" (the last SWD improvement). */
  since?: number
  detail: string
}

const NOT_SEEN: Check = { holds: false, detail: '' }

const mean = (values: ArrayLike<number>, from = 0, to = values.length): number => {
  let sum = 0
  for (let i = from; i < to; i++) sum += values[i]
  return to > from ? sum / (to - from) : Number.NaN
}

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`

// ---- The discriminator winning -------------------------------------------------------------------------

/**
 * What "near 1" and "near 0" mean for D's outputs under a run's loss: probabilities for BCE, targets 1
 * and 0 for least squares (its outputs are regressed onto them), the margins +-1 for hinge. A Wasserstein
 * critic's scores have no such bounds: the check does not apply to it.
 */
export interface OutputBounds {
  /** D(x) at or above this... */
  real: number
  /** ...and D(G(z)) at or below this, on average over the window. */
  fake: number
}

export function outputBounds(loss: string | undefined): OutputBounds | null {
  switch (loss ?? 'bce') {
    case 'bce':
    case 'lsgan':
      // 0.95 / 0.05: a balanced DCGAN on MNIST sits near 0.85 / 0.15; a memorized folder passes 0.98 / 0.02.
      return { real: 0.95, fake: 0.05 }
    case 'hinge':
      return { real: 1, fake: -1 }
    default:
      return null
  }
}

export const D_WINNING = {
  /** Iterations each mean is taken over (Loss_G's is compared with the window before). */
  window: 100,
  /** Loss_G "climbs" unless it fell by more than this fraction from the window before. */
  lossGTolerance: 0.02,
  /** The condition must last this many iterations before it is an alert: a strong D early on is normal. */
  sustain: 200,
  /** ...and be gone this long before the alert ends. */
  clear: 100
}

export interface MetricWindow {
  /** The window's last iteration. */
  lastIteration: number
  /** The last 2 * D_WINNING.window iterations (or fewer, early in a run), oldest first. */
  dReal: ArrayLike<number>
  dFake: ArrayLike<number>
  lossG: ArrayLike<number>
}

/**
 * D(x) near 1 and D(G(z)) near 0 (before the D step) on average over the last window, while Loss_G does not
 * come down: the generator gets too little gradient to catch up.
 */
export function discriminatorWinning(w: MetricWindow, bounds: OutputBounds | null): Check {
  const n = w.lossG.length
  const { window } = D_WINNING
  const { lastIteration } = w
  if (!bounds || n < 2 * window) return NOT_SEEN
  const real = mean(w.dReal, n - window)
  const fake = mean(w.dFake, n - window)
  const before = mean(w.lossG, n - 2 * window, n - window)
  const now = mean(w.lossG, n - window)
  const holds = real >= bounds.real && fake <= bounds.fake && now >= before - D_WINNING.lossGTolerance * Math.abs(before)
  return {
    holds,
    // The means are over the window: the stretch began where it did.
    since: lastIteration - window + 1,
    detail: `D(x) ${real.toFixed(3)} and D(G(z)) ${fake.toFixed(3)} while Loss_G went from ${before.toFixed(2)} to ${now.toFixed(2)} (means over ${window} iterations)`
  }
}

// ---- Instability: loss spikes, samples that jump around ---------------------------------------------

export const SPIKES = {
  /** Iterations looked at: the spikes are counted in it, against its median. */
  window: 300,
  /**
   * A spike: Loss_D above the window's median by `factor` times the median and by at least `minJump`.
   * A discriminator that memorized a small folder sits near 0.05 and jumps past 4 when the generator fools
   * it; a healthy DCGAN on MNIST sits near 0.3 with rare jumps to 2-3.
   */
  factor: 2,
  minJump: 2,
  /** Spikes closer than this are one event. */
  eventGap: 10,
  /** This many separate spike events in the window make the run unstable (a single one happens anyway). */
  events: 3,
  /**
   * ...once the discriminator has seen each image this many times, so it can have memorized them. Before,
   * spikes are how DCGAN trains: the CPU preset on MNIST (10,000 digits, under 8 epochs in 1,200 iterations)
   * spikes to 7-9 every 100-200 iterations while its SWD falls from 169 to 24; a 64-image folder passes 20
   * epochs in 80 iterations.
   */
  minEpochs: 20,
  sustain: 0,
  clear: 100
}

export interface LossWindow {
  /** The last SPIKES.window iterations (or fewer), oldest first. */
  iteration: ArrayLike<number>
  lossD: ArrayLike<number>
  /** Passes over the data so far (0-based epoch of the last iteration). */
  epoch: number
}

/** Repeated Loss_D spikes once D could have memorized the images: D and G overshoot each other, as on a small folder. */
export function lossSpikes(w: LossWindow): Check {
  const n = w.lossD.length
  if (n < SPIKES.window || w.epoch < SPIKES.minEpochs) return NOT_SEEN
  const typical = median(w.lossD)
  const limit = typical + Math.max(SPIKES.minJump, SPIKES.factor * Math.abs(typical))
  let events = 0
  let lastSpike = -Infinity
  let worst = 0
  let first = -1
  for (let i = 0; i < n; i++) {
    if (!(w.lossD[i] > limit)) continue
    if (w.iteration[i] - lastSpike > SPIKES.eventGap) {
      events++
      if (first < 0) first = w.iteration[i]
    }
    lastSpike = w.iteration[i]
    worst = Math.max(worst, w.lossD[i])
  }
  return {
    holds: events >= SPIKES.events,
    since: first >= 0 ? first : undefined,
    detail: `${events} Loss_D spikes in ${n} iterations, up to ${worst.toFixed(1)} (typically ${typical.toFixed(2)}), after ${w.epoch} passes over the images`
  }
}

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort()
  const n = sorted.length
  return n === 0 ? Number.NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

export const JUMPS = {
  /**
   * The samples jump around: from one sample grid to the next, the same noise vector's image changes by
   * more than `ofSpread` times the distance between two of the grid's images (a healthy run settles under
   * 0.6 after its first 100 iterations; a generator with a learning rate 250 times the paper's jumps by 2-4),
   * and by at least `ofReal` of the real images' diversity (so that changes among near-identical early
   * blobs do not count).
   */
  ofSpread: 1.5,
  ofReal: 0.25,
  /** At this many grids in a row. */
  grids: 3
}

export interface SampleHistory {
  /** Per sample grid: its diversity and its change since the grid before, both as shares of the real images' diversity. */
  iteration: ArrayLike<number>
  diversity: ArrayLike<number>
  /** NaN for the first grid (there is none before it). */
  change: ArrayLike<number>
}

/** The fixed-noise samples change completely from grid to grid: the generator thrashes instead of converging. */
export function samplesJump(h: SampleHistory): Check {
  const n = h.change.length
  if (n < JUMPS.grids) return NOT_SEEN
  let holds = true
  for (let i = n - JUMPS.grids; i < n; i++) {
    const change = h.change[i]
    holds &&= change >= JUMPS.ofReal && change >= JUMPS.ofSpread * h.diversity[i]
  }
  const last = n - 1
  return {
    holds,
    since: holds ? h.iteration[n - JUMPS.grids] : undefined,
    detail: `the same noise gives a different image at every grid: it changed by ${(h.change[last] / Math.max(h.diversity[last], 1e-9)).toFixed(1)}x the distance between two samples`
  }
}

// ---- Mode collapse: the samples' diversity ------------------------------------------------------------

export const COLLAPSE = {
  /**
   * Below its own earlier level: under `belowPeak` of the highest diversity the run has had, once that was at
   * least `learned` of the real images' (the generator had learned to vary), at 2 grids in a row.
   */
  belowPeak: 0.4,
  learned: 0.25,
  /**
   * Far below the real images and not getting better: under `belowReal` of the real images' diversity at every
   * grid of the last `stuckFor` iterations (and at least 3 grids), with no rise above `rise`. An untrained
   * generator starts near 0 but climbs past 0.07 within 50 iterations on MNIST.
   */
  belowReal: 0.08,
  stuckFor: 200,
  stuckGrids: 3,
  rise: 0.03,
  sustain: 0,
  sustainChecks: 2,
  clear: 0
}

export interface DiversityHistory {
  /** Iterations of the sample grids so far, and their diversity as a share of the real images'. */
  iteration: ArrayLike<number>
  diversity: ArrayLike<number>
}

/** The fixed-noise samples look alike: far less varied than the real images, or than the run's own earlier samples. */
export function modeCollapse(h: DiversityHistory): Check {
  const n = h.diversity.length
  if (n === 0) return NOT_SEEN
  const now = h.diversity[n - 1]
  const iteration = h.iteration[n - 1]
  let peak = 0
  let peakAt = 0
  for (let i = 0; i < n - 1; i++) {
    if (h.diversity[i] > peak) {
      peak = h.diversity[i]
      peakAt = h.iteration[i]
    }
  }
  if (peak >= COLLAPSE.learned && now < COLLAPSE.belowPeak * peak) {
    return { holds: true, detail: `sample diversity ${percent(now)} of the real images', down from ${percent(peak)} at iteration ${peakAt}` }
  }
  // The grids of the last stuckFor iterations (and the one before them, so the stretch is covered).
  let first = n - 1
  while (first > 0 && iteration - h.iteration[first] < COLLAPSE.stuckFor) first--
  const covered = iteration - h.iteration[first] >= COLLAPSE.stuckFor && n - first >= COLLAPSE.stuckGrids
  let low = covered
  for (let i = first; i < n && low; i++) low = h.diversity[i] < COLLAPSE.belowReal && h.diversity[i] - h.diversity[first] <= COLLAPSE.rise
  if (low) return { holds: true, since: h.iteration[first], detail: `sample diversity ${percent(now)} of the real images' and not rising` }
  return { holds: false, detail: `sample diversity ${percent(now)} of the real images'` }
}

// ---- No progress: SWD ----------------------------------------------------------------------------------

export const NO_PROGRESS = {
  /** An SWD counts as progress when it beats the best so far by this fraction. */
  improvement: 0.05,
  /** No progress for at least this many SWD measurements... */
  evaluations: 5,
  /**
   * ...spanning at least `minStretch` iterations and `stretchShare` of the run so far. A healthy MNIST run's
   * SWD is flat for its first 200 iterations while the generator learns to make blobs into shapes.
   */
  minStretch: 300,
  stretchShare: 0.25,
  sustain: 0,
  clear: 0
}

export interface SwdHistory {
  iteration: ArrayLike<number>
  value: ArrayLike<number>
}

/** SWD flat or rising: no measurement has beaten the best by NO_PROGRESS.improvement for a long stretch. */
export function noProgress(h: SwdHistory): Check {
  const n = h.value.length
  let best = Infinity
  let bestAt = -1
  let bestIndex = -1
  for (let i = 0; i < n; i++) {
    const v = h.value[i]
    if (Number.isFinite(v) && v < best * (1 - NO_PROGRESS.improvement)) {
      best = v
      bestAt = h.iteration[i]
      bestIndex = i
    }
  }
  if (bestIndex < 0) return NOT_SEEN
  const since = n - 1 - bestIndex
  const stretch = h.iteration[n - 1] - bestAt
  const holds = since >= NO_PROGRESS.evaluations && stretch >= Math.max(NO_PROGRESS.minStretch, NO_PROGRESS.stretchShare * h.iteration[n - 1])
  return {
    holds,
    since: bestAt,
    detail: `SWD ${h.value[n - 1].toFixed(1)}, not better than ${best.toFixed(1)} at iteration ${bestAt} in ${since} measurements over ${stretch} iterations`
  }
}

// ---- Divergence ------------------------------------------------------------------------------------------

/** A loss that is NaN or infinite: the run pauses itself there (session.ts); the alert records where. */
export function diverged(row: { lossD: number; lossG: number }): Check {
  const holds = !Number.isFinite(row.lossD) || !Number.isFinite(row.lossG)
  return { holds, detail: holds ? `Loss_D ${row.lossD}, Loss_G ${row.lossG}` : '' }
}
