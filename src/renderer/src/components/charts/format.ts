// How chart numbers read: values in the legend, iteration and elapsed-time tick labels, and the tick
// steps that make those labels round (whole iterations; seconds, minutes, hours).

/** A metric value in about four significant digits: 0.6931, 12.35, 1.2e-5, 23,456. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '∞'
  if (v === -Infinity) return '-∞'
  const a = Math.abs(v)
  if (a === 0) return '0'
  if (a < 1e-3 || a >= 1e9) return v.toExponential(2)
  if (a >= 1e4) return Math.round(v).toLocaleString('en-US')
  return String(Number(v.toPrecision(4)))
}

/**
 * A value-axis tick label, given the step between ticks: as many decimals as the step needs (0.05, 0.0002),
 * so that ticks of small values (a sample diversity of 1e-4) do not all read "0"; exponents below 1e-4.
 */
export function formatValueTick(v: number, step: number): string {
  if (v === 0) return '0'
  if (step < 1e-4) return v.toExponential(Math.max(0, Math.min(6, Math.ceil(Math.log10(Math.abs(v) / step)))))
  let decimals = 0
  while (decimals < 8 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++
  return Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString('en-US') : v.toFixed(decimals)
}

/** An iteration count in full, with thousands separators: 12,345. */
export function formatIteration(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n)
}

/** A compact count: 500, 2.5k, 250k, 1M, 1.25M. */
export function formatCount(n: number): string {
  const a = Math.abs(n)
  const trim = (v: number): string => String(Number(v.toFixed(2)))
  if (a >= 1e6) return `${trim(n / 1e6)}M`
  if (a >= 1e3) return `${trim(n / 1e3)}k`
  return trim(n)
}

/**
 * An iteration tick label, given the step between ticks: compact while the step is a round thousand or
 * million (250k, 1.5M), in full once zoomed in closer than that (500,020 rather than 500.02k).
 */
export function formatIterationTick(n: number, step: number): string {
  return step >= 1e3 && step % 1e3 === 0 ? formatCount(n) : formatIteration(n)
}

/** Elapsed seconds as a person reads a duration: 0.5s, 45s, 12m 05s, 3h 07m, 2d 04h. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds)
  const sign = seconds < 0 ? '-' : ''
  let s = Math.abs(seconds)
  if (s < 10 && s !== Math.floor(s)) return `${sign}${Number(s.toFixed(1))}s`
  s = Math.round(s)
  const pad = (v: number): string => String(v).padStart(2, '0')
  if (s < 60) return `${sign}${s}s`
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${pad(s % 60)}s`
  if (s < 86400) return `${sign}${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`
  return `${sign}${Math.floor(s / 86400)}d ${pad(Math.floor((s % 86400) / 3600))}h`
}

/** An elapsed-time tick label: like formatDuration without the zero parts (2h, 1d 2h, 30s). */
export function formatDurationTick(seconds: number): string {
  return formatDuration(seconds).replace(/ 00[smh]$/, '')
}

/** Tick steps for an iteration axis: whole numbers only (1, 2, 5, 10, 20, 50, ...). */
export const ITERATION_STEPS: number[] = []
for (let e = 0; e <= 9; e++) for (const m of [1, 2, 5]) ITERATION_STEPS.push(m * 10 ** e)

/** Tick steps for an elapsed-time axis, in seconds: steps a clock has (15 s, 5 min, 6 h, 1 day, ...). */
export const TIME_STEPS: number[] = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
  60, 120, 300, 600, 900, 1800,
  3600, 7200, 10800, 21600, 43200,
  86400, 172800, 432000, 864000, 2592000
]
