// How often to compute SWD during training so that it stays a small share of the training time.

/** The share of training time SWD may take by default. */
export const SWD_TIME_BUDGET = 0.05

/**
 * The smallest round interval (1, 2, 5 x 10^k iterations) at which one evaluation taking `evaluationSeconds`
 * (generating the fake set + descriptors + distance) costs at most `budget` of the training time, given
 * `secondsPerIteration`. Measure both on the machine at hand: they differ 30x between the presets.
 */
export function swdInterval(evaluationSeconds: number, secondsPerIteration: number, budget = SWD_TIME_BUDGET): number {
  if (!(evaluationSeconds >= 0) || !(secondsPerIteration > 0) || !(budget > 0)) {
    throw new RangeError('swdInterval needs evaluationSeconds >= 0, secondsPerIteration > 0 and budget > 0.')
  }
  const needed = Math.max(1, evaluationSeconds / (budget * secondsPerIteration))
  for (let scale = 1; ; scale *= 10) {
    for (const step of [1, 2, 5]) {
      // A little slack for floating point: 0.5 / (0.05 * 1) must give 10, not 20.
      if (step * scale >= needed * (1 - 1e-9)) return step * scale
    }
  }
}

/** The share of training time taken by SWD every `interval` iterations. */
export function swdTimeShare(evaluationSeconds: number, secondsPerIteration: number, interval: number): number {
  return evaluationSeconds / (evaluationSeconds + interval * secondsPerIteration)
}
