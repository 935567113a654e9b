// Shared inputs for the chart-data tests: TensorBoard's own smoothing loop and a deterministic noisy series.

// TensorBoard's classic smoothing loop (vz_line_chart2/line-chart.ts, resmoothDataset), transcribed as is,
// to check ours against the formula step for step rather than against our own idea of it.
export function tensorBoardSmooth(values: number[], weight: number): number[] {
  let last = values.length > 0 ? 0 : NaN
  let numAccum = 0
  const isConstant = values.every((v) => v == values[0])
  return values.map((nextVal) => {
    if (isConstant || !Number.isFinite(nextVal)) return nextVal
    last = last * weight + (1 - weight) * nextVal
    numAccum++
    let debiasWeight = 1
    if (weight !== 1) debiasWeight = 1 - Math.pow(weight, numAccum)
    return last / debiasWeight
  })
}

// A deterministic noisy sequence (no Math.random in tests either).
export function noisy(n: number, seed = 1): number[] {
  let s = seed
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    out.push(1 + Math.sin(i / 50) + (s / 2147483648 - 0.5))
  }
  return out
}
