// Figures as the UI shows them.
export { formatBytes, formatDuration, formatRate } from '../../../shared/format'

export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  if (Number.isNaN(value)) return 'NaN'
  return value.toFixed(3)
}

export function formatDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}
